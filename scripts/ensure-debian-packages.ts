/**
 * Makes sure the Debian packages the test suite drives are installed: `chromium` (the dashboard's
 * browser tests; Playwright's own browser download cannot work offline) and `softhsm2` (the PKCS#11
 * token the `pkcs11` custody tests use), and `python3-jwt` (PyJWT, a verifier of the signing API tests). Run by `npm test` before the suite; installs what is missing
 * with apt-get when we are root, and otherwise says what to run. The tests fail, never skip, without them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../test/helpers/launch-browser.ts';
import { PYJWT_MODULE } from '../test/helpers/pyjwt.ts';
import { SOFTHSM2_MODULE, SOFTHSM2_UTIL } from '../test/helpers/softhsm-token.ts';

/** Each package and the files whose presence says it is installed. */
const PACKAGES: ReadonlyArray<{ name: string; purpose: string; files: readonly string[] }> = [
  { name: 'chromium', purpose: "the dashboard's browser tests", files: [CHROMIUM_PATH] },
  { name: 'softhsm2', purpose: 'the pkcs11 custody tests', files: [SOFTHSM2_MODULE, SOFTHSM2_UTIL] },
  { name: 'python3-jwt', purpose: "the signing API's PyJWT verifier tests", files: [PYJWT_MODULE] },
];

const isInstalled = (files: readonly string[]): boolean => files.every((file) => existsSync(file));
const missing = PACKAGES.filter((pkg) => !isInstalled(pkg.files));

if (missing.length > 0) {
  const names = missing.map((pkg) => pkg.name).join(' ');
  const purposes = missing.map((pkg) => `${pkg.name} (${pkg.purpose})`).join(', ');
  const install = `apt-get update && apt-get install -y ${names}`;
  if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    console.error(`The test suite needs Debian's ${purposes}; install them with: ${install}`);
    process.exit(1);
  }
  console.error(`Installing Debian's ${purposes} for the test suite (${install})`);
  const result = spawnSync('sh', ['-c', install], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0 || !missing.every((pkg) => isInstalled(pkg.files))) {
    console.error(`${result.stdout ?? ''}${result.stderr ?? ''}\nCould not install ${names}; run as root: ${install}`);
    process.exit(1);
  }
}

/**
 * Makes sure the Debian packages the tests drive are installed: `chromium` at /usr/bin/chromium for
 * the dashboard (Playwright's own browser download cannot work offline) and `python3-jwt` for the
 * PyJWT verifier of the signing API. Run by `npm test` before the suite; installs what is missing
 * with apt-get when we are root, and otherwise says what to run. Those tests fail, never skip,
 * without them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../test/helpers/launch-browser.ts';
import { DEBIAN_PYTHON, hasPyJwt } from '../test/helpers/pyjwt.ts';

const needed = [
  { name: 'chromium', use: "the dashboard's browser tests", present: () => existsSync(CHROMIUM_PATH) },
  { name: 'python3-jwt', use: `the PyJWT verifier tests (${DEBIAN_PYTHON})`, present: hasPyJwt },
].filter((entry) => !entry.present());

if (needed.length > 0) {
  const names = needed.map((entry) => entry.name).join(' ');
  const uses = needed.map((entry) => entry.use).join(' and ');
  const install = `apt-get update && apt-get install -y ${names}`;
  if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    console.error(`${uses} need the Debian packages ${names}; install them with: ${install}`);
    process.exit(1);
  }
  console.error(`Installing ${names} for ${uses} (${install})`);
  const result = spawnSync('sh', ['-c', install], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0 || needed.some((entry) => !entry.present())) {
    console.error(`${result.stdout ?? ''}${result.stderr ?? ''}\nCould not install ${names}; run as root: ${install}`);
    process.exit(1);
  }
}

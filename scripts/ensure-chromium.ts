/**
 * Makes sure the browser the dashboard tests drive is installed: Debian's `chromium` at
 * /usr/bin/chromium (Playwright's own browser download cannot work offline). Run by `npm test`
 * before the suite; installs the package with apt-get when it is missing and we are root, and
 * otherwise says what to run. The browser tests fail, never skip, without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../test/helpers/launch-browser.ts';

if (!existsSync(CHROMIUM_PATH)) {
  const install = 'apt-get update && apt-get install -y chromium';
  if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    console.error(
      `The dashboard's browser tests need Debian's Chromium at ${CHROMIUM_PATH}; install it with: ${install}`,
    );
    process.exit(1);
  }
  console.error(`Installing Debian's Chromium for the dashboard's browser tests (${install})`);
  const result = spawnSync('sh', ['-c', install], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0 || !existsSync(CHROMIUM_PATH)) {
    console.error(`${result.stdout ?? ''}${result.stderr ?? ''}\nCould not install Chromium; run as root: ${install}`);
    process.exit(1);
  }
}

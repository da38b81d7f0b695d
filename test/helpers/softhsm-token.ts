import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's SoftHSM2 PKCS#11 module; `npm test` installs it when missing (scripts/ensure-debian-packages.ts). */
export const SOFTHSM2_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
/** SoftHSM2's token administration tool, from the same package. */
export const SOFTHSM2_UTIL = '/usr/bin/softhsm2-util';

/** A throw-away SoftHSM2 token living in a temporary directory. */
export interface SoftHsmToken {
  modulePath: string;
  tokenLabel: string;
  pin: string;
  soPin: string;
  /** The SoftHSM2 configuration file; the module reads it from `SOFTHSM2_CONF` when it initialises. */
  confPath: string;
  /** The variables a process needs to use this token through Signet's configuration. */
  env: Record<string, string>;
  /**
   * Takes the token away as an unplugged HSM would be (its files leave the token directory);
   * the returned function puts it back.
   */
  takeAway(): () => void;
  /** Deletes the token and its directory. */
  remove(): void;
}

/**
 * Creates a fresh SoftHSM2 token in its own temporary directory and points this process's
 * `SOFTHSM2_CONF` at it (the module reads the variable when it is initialised, so call this before
 * opening the module). Nothing is written to the system's token directory.
 */
export function createSoftHsmToken(options: { label?: string; pin?: string } = {}): SoftHsmToken {
  const dir = mkdtempSync(join(tmpdir(), 'signet-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  const confPath = join(dir, 'softhsm2.conf');
  const tokenLabel = options.label ?? 'signet-test';
  const pin = options.pin ?? '1234';
  const soPin = '5678';
  execFileSync('mkdir', ['-p', tokenDir]);
  writeFileSync(
    confPath,
    `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  const env = { SOFTHSM2_CONF: confPath };
  execFileSync(SOFTHSM2_UTIL, ['--init-token', '--free', '--label', tokenLabel, '--pin', pin, '--so-pin', soPin], {
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
  process.env.SOFTHSM2_CONF = confPath;
  return {
    modulePath: SOFTHSM2_MODULE,
    tokenLabel,
    pin,
    soPin,
    confPath,
    env: {
      ...env,
      SIGNET_PKCS11_MODULE: SOFTHSM2_MODULE,
      SIGNET_PKCS11_TOKEN_LABEL: tokenLabel,
      SIGNET_PKCS11_PIN: pin,
    },
    takeAway() {
      const names = readdirSync(tokenDir);
      for (const name of names) renameSync(join(tokenDir, name), join(dir, `away-${name}`));
      return () => {
        for (const name of names) renameSync(join(dir, `away-${name}`), join(tokenDir, name));
      };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let shared: SoftHsmToken | null = null;

/**
 * One token for the whole test process, created on first use and removed when the process exits:
 * a PKCS#11 module reads `SOFTHSM2_CONF` once, when it is first initialised in a process.
 */
export function sharedSoftHsmToken(): SoftHsmToken {
  if (shared === null) {
    const token = createSoftHsmToken();
    shared = token;
    process.once('exit', () => token.remove());
  }
  return shared;
}

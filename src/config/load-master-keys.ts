import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMasterKeyText, parseMasterKeys, type MasterKey } from '../crypto/master-key.ts';
import { SignetError } from '../errors.ts';
import { BOOTSTRAP_DEFAULTS } from './defaults.ts';

/** Where the master keys came from, for the start-up log. */
export interface LoadedMasterKeys {
  keys: MasterKey[];
  source: 'environment' | 'file' | 'generated';
  path: string | null;
}

/**
 * Loads the master keys (first seals, all unseal): SIGNET_MASTER_KEY, else SIGNET_MASTER_KEY_FILE,
 * else `{dataDir}/master.key`, generated with mode 0600 when absent unless `generate` is false
 * (instances sharing a PostgreSQL database must all be given the same key, so none may make its own).
 */
export function loadMasterKeys(options: {
  masterKey: string | null;
  masterKeyFile: string | null;
  dataDir: string;
  generate?: boolean;
}): LoadedMasterKeys {
  if (options.masterKey) return { keys: parseMasterKeys(options.masterKey), source: 'environment', path: null };
  if (options.masterKeyFile) {
    if (!existsSync(options.masterKeyFile)) {
      throw new SignetError('ERR_VALIDATION', `SIGNET_MASTER_KEY_FILE ${options.masterKeyFile} does not exist`);
    }
    return {
      keys: parseMasterKeys(readFileSync(options.masterKeyFile, 'utf8')),
      source: 'file',
      path: options.masterKeyFile,
    };
  }
  const path = join(options.dataDir, BOOTSTRAP_DEFAULTS.masterKeyFileName);
  if (existsSync(path)) return { keys: parseMasterKeys(readFileSync(path, 'utf8')), source: 'file', path };
  if (options.generate === false) {
    throw new SignetError(
      'ERR_VALIDATION',
      `with --database-url every instance must use the same master key: set SIGNET_MASTER_KEY or SIGNET_MASTER_KEY_FILE, or place it in ${path}; Signet never stores the master key in the database`,
    );
  }
  writeFileSync(path, `${generateMasterKeyText()}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { keys: parseMasterKeys(readFileSync(path, 'utf8')), source: 'generated', path };
}

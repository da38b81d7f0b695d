import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import { loadDatabaseConfig } from '../config/load-database-config.ts';
import { loadMasterKeys } from '../config/load-master-keys.ts';
import { createSealer } from '../crypto/create-sealer.ts';
import { SignetError } from '../errors.ts';
import { openDatabaseDump } from '../storage/backup/open-database-dump.ts';
import { restoreBackup } from '../storage/backup/restore-backup.ts';
import type { CliIo } from './cli-io.ts';
import { runDatabaseCommand } from './run-database-command.ts';

const RESTORE_USAGE = `usage: signet restore FILE [--data-dir DIR] [--database-url URL]

Restores a signet backup into an EMPTY database: the SQLite file in --data-dir (created), or
PostgreSQL with --database-url, so a backup taken on one engine moves to the other. The master key
the backup's keys were sealed under must be configured (SIGNET_MASTER_KEY, SIGNET_MASTER_KEY_FILE,
or master.key in --data-dir). Refuses a damaged or truncated file, one from a newer Signet, keys the
master key cannot unseal and a target holding data, before writing anything; writes in one transaction.
`;

/** `signet restore FILE`: checks the file and the master key first, then writes every row in one transaction. */
export async function runRestore(argv: string[], io: CliIo): Promise<number> {
  return runDatabaseCommand(argv, io, RESTORE_USAGE, async () => {
    const config = loadDatabaseConfig(argv, io.env);
    if (
      !config.masterKey &&
      !config.masterKeyFile &&
      !existsSync(join(config.dataDir, BOOTSTRAP_DEFAULTS.masterKeyFileName))
    ) {
      // Never generated here: a new key could unseal nothing the backup holds.
      throw new SignetError(
        'ERR_MASTER_KEY_MISMATCH',
        `restore needs the master key the backup's keys were sealed under: set SIGNET_MASTER_KEY or SIGNET_MASTER_KEY_FILE, or place it in ${join(config.dataDir, BOOTSTRAP_DEFAULTS.masterKeyFileName)}`,
      );
    }
    const sealer = createSealer(loadMasterKeys({ ...config, generate: false }).keys);
    const dump = await openDatabaseDump({ ...config, create: true });
    try {
      const result = await restoreBackup(dump, config.file, sealer);
      const rows = Object.values(result.rows).reduce((sum, count) => sum + count, 0);
      io.stdout(
        `restored ${rows} rows of ${Object.keys(result.rows).length} tables into ${config.databaseUrl ? 'PostgreSQL' : config.dataDir}\n`,
      );
    } finally {
      await dump.close();
    }
  });
}

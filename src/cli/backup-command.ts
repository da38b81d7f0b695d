import { loadDatabaseConfig } from '../config/load-database-config.ts';
import { openDatabaseDump } from '../storage/backup/open-database-dump.ts';
import { writeBackup } from '../storage/backup/write-backup.ts';
import type { CliIo } from './cli-io.ts';
import { runDatabaseCommand } from './run-database-command.ts';

const BACKUP_USAGE = `usage: signet backup FILE [--data-dir DIR] [--database-url URL]

Writes one consistent snapshot of the database (the SQLite file in --data-dir, or PostgreSQL with
--database-url; SIGNET_DATA_DIR and SIGNET_DATABASE_URL as for signet serve) to FILE, gzip when it
ends in .gz, mode 0600. Safe while Signet runs: it reads one snapshot transaction. Private keys stay
sealed and secrets hashed; the master key is not in it: back it up separately.
`;

/**
 * `signet backup FILE`: reads the database directly rather than through a server's API, so it works
 * with the server down, needs no credential beyond access to the database, and streams any size.
 */
export async function runBackup(argv: string[], io: CliIo): Promise<number> {
  return runDatabaseCommand(argv, io, BACKUP_USAGE, async () => {
    const config = loadDatabaseConfig(argv, io.env);
    const dump = await openDatabaseDump({ ...config, create: false });
    try {
      const result = await writeBackup(dump, config.file, Date.now);
      const rows = Object.values(result.rows).reduce((sum, count) => sum + count, 0);
      io.stdout(
        `backup written to ${result.file}: ${rows} rows of ${Object.keys(result.rows).length} tables, schema ${result.schema.at(-1) ?? 'empty'}, sha256 ${result.sha256}\n`,
      );
      io.stderr(
        `the sealed keys need master key${result.masterKeyIds.length === 1 ? '' : 's'} ${result.masterKeyIds.join(', ') || '(none)'}: keep ${result.masterKeyIds.length === 1 ? 'it' : 'them'} backed up apart from this file\n`,
      );
    } finally {
      await dump.close();
    }
  });
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgresDump } from '../postgres/open-postgres-dump.ts';
import { openSqliteDump } from '../sqlite/open-sqlite-dump.ts';
import type { DatabaseDump } from './database-dump.ts';

/**
 * Opens the database a configuration names for backup or restore: PostgreSQL with a URL, else
 * `signet.db` in the data directory (created, with the directory, only when `create`).
 */
export async function openDatabaseDump(options: {
  dataDir: string;
  databaseUrl: string | null;
  databaseConnectTimeoutSeconds: number;
  create: boolean;
}): Promise<DatabaseDump> {
  if (options.databaseUrl) return openPostgresDump(options.databaseUrl, options.databaseConnectTimeoutSeconds * 1000);
  if (options.create) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  return openSqliteDump(join(options.dataDir, 'signet.db'), { create: options.create });
}

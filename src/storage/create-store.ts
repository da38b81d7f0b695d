import { join } from 'node:path';
import { createPostgresStore } from './postgres/create-postgres-store.ts';
import { createSqliteStore } from './sqlite/create-sqlite-store.ts';
import type { Store } from './store.ts';

export interface CreateStoreOptions {
  /** Holds `signet.db` when there is no database URL. */
  dataDir: string;
  /** A `postgres://` URL selects PostgreSQL; null selects the embedded SQLite database. */
  databaseUrl: string | null;
  databasePoolSize: number;
  databaseConnectTimeoutSeconds: number;
  /** Told about database errors no request awaits (a dropped connection, a lost LISTEN). */
  onError(error: unknown): void;
}

/** Opens the store the configuration selects: PostgreSQL with a database URL, else SQLite in the data directory. */
export function createStore(options: CreateStoreOptions): Store {
  if (options.databaseUrl) {
    return createPostgresStore({
      url: options.databaseUrl,
      poolSize: options.databasePoolSize,
      connectTimeoutMs: options.databaseConnectTimeoutSeconds * 1000,
      onError: options.onError,
    });
  }
  return createSqliteStore({ path: join(options.dataDir, 'signet.db') });
}

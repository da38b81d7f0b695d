import { join } from 'node:path';
import type { ChangeRelay } from './change-relay.ts';
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
  databaseStatementTimeoutSeconds: number;
  databaseLockTimeoutSeconds: number;
  /** Told about database errors no request awaits (a dropped connection, a lost LISTEN). */
  onError(error: unknown): void;
  /** SQLite only: carries committed changes between the workers of `--workers N` (PostgreSQL has NOTIFY). */
  relay?: ChangeRelay;
}

/** Opens the store the configuration selects: PostgreSQL with a database URL, else SQLite in the data directory. */
export function createStore(options: CreateStoreOptions): Store {
  if (options.databaseUrl) {
    return createPostgresStore({
      url: options.databaseUrl,
      poolSize: options.databasePoolSize,
      connectTimeoutMs: options.databaseConnectTimeoutSeconds * 1000,
      statementTimeoutMs: options.databaseStatementTimeoutSeconds * 1000,
      lockTimeoutMs: options.databaseLockTimeoutSeconds * 1000,
      onError: options.onError,
    });
  }
  return createSqliteStore({
    path: join(options.dataDir, 'signet.db'),
    ...(options.relay ? { relay: options.relay } : {}),
  });
}

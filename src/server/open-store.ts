import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ServeConfig } from '../config/load-config.ts';
import type { ChangeRelay } from '../storage/change-relay.ts';
import { createPostgresStore } from '../storage/postgres/create-postgres-store.ts';
import { createSqliteStore } from '../storage/sqlite/create-sqlite-store.ts';
import type { Store } from '../storage/store.ts';

/**
 * Opens the configured store: PostgreSQL when a `postgres://` URL is given (its LISTEN/NOTIFY
 * carries changes between instances), else the embedded SQLite file in the data directory (with
 * `relay` carrying changes between the workers of one machine).
 */
export async function openStore(config: ServeConfig, logger: Logger, relay?: ChangeRelay): Promise<Store> {
  if (config.databaseUrl) {
    return createPostgresStore({
      url: config.databaseUrl,
      // Errors nobody awaits: a dropped idle connection, a lost LISTEN (it reconnects by itself).
      onError: (error) => logger.warn({ err: error }, 'database connection problem; retrying'),
    });
  }
  return createSqliteStore({ path: join(config.dataDir, 'signet.db'), ...(relay ? { relay } : {}) });
}

import { join } from 'node:path';
import type { ServeConfig } from '../config/load-config.ts';
import { SignetError } from '../errors.ts';
import type { ChangeRelay } from '../storage/change-relay.ts';
import { createSqliteStore } from '../storage/sqlite/create-sqlite-store.ts';
import type { Store } from '../storage/store.ts';

/** Opens the configured store: the embedded SQLite file in the data directory. */
export async function openStore(config: ServeConfig, relay?: ChangeRelay): Promise<Store> {
  if (config.databaseUrl) {
    throw new SignetError('ERR_VALIDATION', 'PostgreSQL (--database-url) is not available in this version; omit it to use the embedded SQLite database');
  }
  return createSqliteStore({ path: join(config.dataDir, 'signet.db'), ...(relay ? { relay } : {}) });
}

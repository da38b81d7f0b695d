import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../src/storage/sqlite/create-sqlite-store.ts';
import type { Store } from '../../src/storage/store.ts';

/** A database several in-process instances open their own connection to. */
export interface SharedDatabase {
  name: string;
  openStore(): Store;
  cleanup(): Promise<void>;
}

/** One fresh database per adapter: an SQLite file, and (when available) an embedded PostgreSQL database. */
export function scaleDatabases(): SharedDatabase[] {
  const dir = mkdtempSync(join(tmpdir(), 'signet-shared-'));
  return [{
    name: 'sqlite',
    openStore: () => createSqliteStore({ path: join(dir, 'signet.db') }),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  }];
}

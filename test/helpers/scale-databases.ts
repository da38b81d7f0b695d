import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore } from '../../src/storage/postgres/create-postgres-store.ts';
import { createSqliteStore } from '../../src/storage/sqlite/create-sqlite-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { createTestDatabase, type TestDatabase } from './postgres-server.ts';

/** A database several in-process instances open their own connection to. */
export interface SharedDatabase {
  name: string;
  /** Creates the database (once) and opens a new connection to it. */
  openStore(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** One fresh database per adapter: an SQLite file and an embedded PostgreSQL database. */
export function scaleDatabases(): SharedDatabase[] {
  const dir = mkdtempSync(join(tmpdir(), 'signet-shared-'));
  let postgres: Promise<TestDatabase> | undefined;
  return [
    {
      name: 'sqlite',
      openStore: async () => createSqliteStore({ path: join(dir, 'signet.db') }),
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    },
    {
      name: 'postgres',
      async openStore() {
        postgres ??= createTestDatabase();
        return createPostgresStore({ url: (await postgres).url });
      },
      async cleanup() {
        await (await postgres)?.drop();
      },
    },
  ];
}

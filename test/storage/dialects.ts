import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { createPostgresStore } from '../../src/storage/postgres/create-postgres-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { createSqliteStore } from '../../src/storage/sqlite/create-sqlite-store.ts';
import { createTestDatabase } from '../helpers/postgres-server.ts';

/** A fresh, un-migrated store plus a back door to its database for attacking the schema. */
export interface StorageHarness {
  store: Store;
  /** Runs SQL on a separate connection, bypassing the adapter; rejects when the database refuses it. */
  rawExec(sql: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface StorageDialect {
  name: string;
  create(): Promise<StorageHarness>;
}

const sqlite: StorageDialect = {
  name: 'sqlite',
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'signet-storage-'));
    const path = join(dir, 'signet.db');
    const store = createSqliteStore({ path });
    let raw: DatabaseSync | undefined;
    return {
      store,
      async rawExec(sql) {
        raw ??= new DatabaseSync(path, { timeout: 5000 });
        raw.exec(sql);
      },
      async cleanup() {
        raw?.close();
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: StorageDialect = {
  name: 'postgres',
  async create() {
    const database = await createTestDatabase();
    const store = createPostgresStore({ url: database.url });
    let raw: pg.Client | undefined;
    return {
      store,
      async rawExec(sql) {
        if (!raw) {
          raw = new pg.Client({ connectionString: database.url });
          await raw.connect();
        }
        // Autocommit: each statement stands alone, as a person at psql would run it.
        await raw.query(sql);
      },
      async cleanup() {
        await raw?.end();
        await store.close();
        await database.drop();
      },
    };
  },
};

/** Every storage adapter; each storage test runs once per entry. */
export const storageDialects: StorageDialect[] = [sqlite, postgres];

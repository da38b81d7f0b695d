import { existsSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { SignetError } from '../../errors.ts';
import type { DatabaseDump, DumpTable, DumpValue, RestoreWriter, SnapshotReader } from '../backup/database-dump.ts';
import { orderByForeignKeys } from '../backup/order-by-foreign-keys.ts';
import { quoteIdentifier } from '../backup/quote-identifier.ts';
import { migrateSqlite } from './migrate-sqlite.ts';
import { sqliteMigrations } from './migrations.ts';

/**
 * Opens a SQLite database file for backup or restore on a connection of its own, beside a server
 * that may be running on the same file: WAL lets this connection read one snapshot while the
 * server keeps writing. `create` allows a new file (restore); a backup refuses a missing one.
 */
export function openSqliteDump(path: string, options: { create: boolean }): DatabaseDump {
  if (!options.create && !existsSync(path)) {
    throw new SignetError('ERR_NOT_FOUND', `there is no Signet database at ${path}`);
  }
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA synchronous = FULL');

  function tableNames(): string[] {
    const rows = db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name",
      )
      .all() as { name: string }[];
    return rows.map((row) => row.name);
  }

  function tableInfo(name: string): { name: string; pk: number }[] {
    return db.prepare(`PRAGMA table_info(${quoteIdentifier(name)})`).all() as { name: string; pk: number }[];
  }

  function tables(): DumpTable[] {
    const all = tableNames().map((name) => ({ name, columns: tableInfo(name).map((column) => column.name) }));
    const references = new Map(
      all.map((table) => [
        table.name,
        (db.prepare(`PRAGMA foreign_key_list(${quoteIdentifier(table.name)})`).all() as { table: string }[]).map(
          (row) => row.table,
        ),
      ]),
    );
    return orderByForeignKeys(all, references);
  }

  function appliedMigrations(): string[] {
    const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!exists) return [];
    return (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  }

  const reader: SnapshotReader = {
    migrations: async () => appliedMigrations(),
    tables: async () => tables(),
    async *rows(table) {
      const keys = tableInfo(table.name)
        .filter((column) => column.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((column) => quoteIdentifier(column.name));
      const columns = table.columns.map(quoteIdentifier).join(', ');
      const order = keys.length > 0 ? keys.join(', ') : 'rowid';
      const statement = db.prepare(`SELECT ${columns} FROM ${quoteIdentifier(table.name)} ORDER BY ${order}`);
      statement.setReturnArrays(true);
      for (const row of statement.iterate() as Iterable<unknown[]>) yield row.map(toDumpValue);
    },
  };

  const writer: RestoreWriter = {
    tables: async () => tables(),
    async hasRows() {
      return tableNames().some((name) => db.prepare(`SELECT 1 FROM ${quoteIdentifier(name)} LIMIT 1`).get());
    },
    async insert(table, rows) {
      const columns = table.columns.map(quoteIdentifier).join(', ');
      const marks = table.columns.map(() => '?').join(', ');
      const statement = db.prepare(`INSERT INTO ${quoteIdentifier(table.name)} (${columns}) VALUES (${marks})`);
      for (const row of rows) statement.run(...row.map(toSqliteValue));
    },
  };

  return {
    engine: 'sqlite',
    migrationIds: sqliteMigrations.map((migration) => migration.id),
    async snapshot(fn) {
      // A deferred transaction's first read fixes the snapshot every later read of it sees.
      db.exec('BEGIN');
      try {
        return await fn(reader);
      } finally {
        db.exec('COMMIT');
      }
    },
    async migrate(only) {
      migrateSqlite(db, only ? sqliteMigrations.filter((migration) => only.has(migration.id)) : sqliteMigrations);
    },
    appliedMigrations: async () => appliedMigrations(),
    async restore(fn) {
      // IMMEDIATE takes the write lock first: no server can bootstrap the file between the
      // emptiness check and the inserts.
      db.exec('BEGIN IMMEDIATE');
      try {
        await fn(writer);
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}

function toDumpValue(value: unknown): DumpValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  throw new Error(`a SQLite value of type ${typeof value} has no backup form`);
}

function toSqliteValue(value: DumpValue): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return Buffer.from(value.base64, 'base64');
  return value;
}

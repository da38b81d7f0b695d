import type { DatabaseSync } from 'node:sqlite';
import { pendingMigrations, type Migration } from '../migration.ts';

/** Applies the migrations not yet recorded in `schema_migrations` in id order, each in its own transaction. */
export function migrateSqlite(db: DatabaseSync, migrations: readonly Migration[], now: () => number = Date.now): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT',
  );
  const applied = db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as unknown as { id: string }[];
  for (const migration of pendingMigrations(
    migrations,
    applied.map((row) => row.id),
  )) {
    // IMMEDIATE takes the write lock before the check, so two processes starting at once
    // cannot both apply the same migration.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (!db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(migration.id)) {
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(migration.id, now());
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}

import type { ClientBase } from 'pg';
import { pendingMigrations, type Migration } from '../migration.ts';
import { ADVISORY_LOCK_NAMESPACE, MIGRATION_LOCK } from './advisory-locks.ts';

/**
 * Applies the migrations not yet recorded in `schema_migrations` in id order, all in one
 * transaction under an advisory lock, so instances starting at once apply each migration exactly
 * once and none of them sees a half-migrated schema.
 */
export async function migratePostgres(
  client: ClientBase,
  migrations: readonly Migration[],
  now: () => number = Date.now,
): Promise<void> {
  await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, ${MIGRATION_LOCK})`);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT COLLATE "C" NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const applied = (await client.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id')).rows;
    for (const migration of pendingMigrations(
      migrations,
      applied.map((row) => row.id),
    )) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [migration.id, now()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import pg from 'pg';
import { pendingMigrations, type Migration } from '../../src/storage/migration.ts';
import { migratePostgres } from '../../src/storage/postgres/migrate-postgres.ts';
import { postgresMigrations } from '../../src/storage/postgres/migrations.ts';
import { migrateSqlite } from '../../src/storage/sqlite/migrate-sqlite.ts';
import { sqliteMigrations } from '../../src/storage/sqlite/migrations.ts';
import { createTestDatabase } from '../helpers/postgres-server.ts';

/**
 * Orders of `migrations` other than id order: reversed, every rotation and every swap of two
 * neighbours. Bounded (about 2n orders, where every permutation would be n! and grows with each
 * migration), and each of them is one a runner that forgot to sort would apply wrongly.
 */
function shuffled(migrations: readonly Migration[]): Migration[][] {
  const sorted = [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const orders: Migration[][] = [[...sorted].reverse()];
  for (let shift = 1; shift < sorted.length; shift += 1)
    orders.push([...sorted.slice(shift), ...sorted.slice(0, shift)]);
  for (let index = 0; index + 1 < sorted.length; index += 1) {
    const swapped = [...sorted];
    [swapped[index], swapped[index + 1]] = [swapped[index + 1]!, swapped[index]!];
    orders.push(swapped);
  }
  const seen = new Set<string>();
  return orders.filter((order) => {
    const key = order.map((migration) => migration.id).join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A clock that ticks once per call, so `applied_at` records the order the runner applied in. */
function tickingClock(): () => number {
  let now = 0;
  return () => ++now;
}

interface Engine {
  name: string;
  migrations: readonly Migration[];
  /** Runs the engine's migration runner on a new database; returns the ids in the order applied, and a column of the last one. */
  migrateFresh(migrations: readonly Migration[]): Promise<{ order: string[]; hasCertificateIssuer: boolean }>;
}

const engines: Engine[] = [
  {
    name: 'sqlite',
    migrations: sqliteMigrations,
    async migrateFresh(migrations) {
      const db = new DatabaseSync(':memory:', { enableForeignKeyConstraints: true });
      try {
        migrateSqlite(db, migrations, tickingClock());
        const rows = db.prepare('SELECT id FROM schema_migrations ORDER BY applied_at').all() as { id: string }[];
        const columns = db.prepare("SELECT name FROM pragma_table_info('keys')").all() as { name: string }[];
        return {
          order: rows.map((row) => row.id),
          hasCertificateIssuer: columns.some((column) => column.name === 'certificate_issuer'),
        };
      } finally {
        db.close();
      }
    },
  },
  {
    name: 'postgres',
    migrations: postgresMigrations,
    async migrateFresh(migrations) {
      const database = await createTestDatabase();
      const client = new pg.Client({ connectionString: database.url });
      try {
        await client.connect();
        await migratePostgres(client, migrations, tickingClock());
        const rows = await client.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY applied_at');
        const columns = await client.query(
          "SELECT 1 FROM information_schema.columns WHERE table_name = 'keys' AND column_name = 'certificate_issuer'",
        );
        return { order: rows.rows.map((row) => row.id), hasCertificateIssuer: columns.rowCount === 1 };
      } finally {
        await client.end();
        await database.drop();
      }
    },
  },
];

for (const engine of engines) {
  describe(`${engine.name}: migration order`, () => {
    it('applies the migrations in id order whatever order the list names them in', async () => {
      const ids = engine.migrations.map((migration) => migration.id).sort();
      const orders = shuffled(engine.migrations);
      assert.ok(orders.length > 0);
      for (const order of orders) {
        const named = order.map((migration) => migration.id).join(', ');
        const result = await engine.migrateFresh(order);
        assert.deepEqual(result.order, ids, `listed as ${named}`);
        assert.equal(result.hasCertificateIssuer, true, `listed as ${named}`);
      }
    });
  });
}

describe('pendingMigrations', () => {
  const migration = (id: string): Migration => ({ id, sql: '' });

  it('returns the migrations not applied yet, in id order', () => {
    const list = [migration('2026-03-01-c'), migration('2026-01-01-a'), migration('2026-02-01-b')];
    assert.deepEqual(
      pendingMigrations(list, ['2026-02-01-b']).map((pending) => pending.id),
      ['2026-01-01-a', '2026-03-01-c'],
    );
  });

  it('refuses a database that records a migration the list does not know, and a list naming an id twice', () => {
    assert.throws(() => pendingMigrations([migration('2026-01-01-a')], ['2026-01-01-a', '2027-01-01-newer']));
    assert.throws(() => pendingMigrations([migration('2026-01-01-a'), migration('2026-01-01-a')], []));
  });
});

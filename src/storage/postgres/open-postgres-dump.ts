import pg from 'pg';
import type { DatabaseDump, DumpTable, DumpValue, RestoreWriter, SnapshotReader } from '../backup/database-dump.ts';
import { orderByForeignKeys } from '../backup/order-by-foreign-keys.ts';
import { quoteIdentifier } from '../backup/quote-identifier.ts';
import { ADVISORY_LOCK_NAMESPACE, MIGRATION_LOCK, WRITE_LOCK } from './advisory-locks.ts';
import { mapPostgresError } from './map-postgres-error.ts';
import { migratePostgres } from './migrate-postgres.ts';
import { postgresMigrations } from './migrations.ts';
import { ROW_TYPES } from './row-types.ts';

// Rows fetched per round trip when reading, and at most this many parameters per INSERT
// (PostgreSQL's protocol allows 65535).
const FETCH_ROWS = 1000;
const MAX_PARAMETERS = 30_000;

/**
 * Opens a PostgreSQL database for backup or restore on one connection of its own, with the row
 * parsers the store uses (BIGINT as numbers, JSONB as its text), so a row reads the same as on SQLite.
 */
export async function openPostgresDump(url: string, connectTimeoutMs: number): Promise<DatabaseDump> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    types: ROW_TYPES,
    application_name: 'signet-backup',
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw mapPostgresError(error);
  }
  // A connection the server drops fails the pending query; it must not crash the process.
  client.on('error', () => undefined);

  async function tables(): Promise<DumpTable[]> {
    const { rows } = await client.query<{ name: string; columns: string[] }>(
      `SELECT c.table_name AS name, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS columns
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
       GROUP BY c.table_name ORDER BY c.table_name COLLATE "C"`,
    );
    const references = new Map<string, string[]>();
    const foreignKeys = await client.query<{ source: string; target: string }>(
      `SELECT s.relname AS source, t.relname AS target FROM pg_constraint c
       JOIN pg_class s ON s.oid = c.conrelid JOIN pg_class t ON t.oid = c.confrelid
       WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
    );
    for (const row of foreignKeys.rows) references.set(row.source, [...(references.get(row.source) ?? []), row.target]);
    return orderByForeignKeys(rows, references);
  }

  async function appliedMigrations(): Promise<string[]> {
    const exists = await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
    if (!(exists.rows[0] as { present: boolean }).present) return [];
    const { rows } = await client.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    return rows.map((row) => row.id);
  }

  async function primaryKey(table: string): Promise<string[]> {
    const { rows } = await client.query<{ name: string }>(
      `SELECT a.attname AS name FROM pg_index i
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.position`,
      [quoteIdentifier(table)],
    );
    return rows.map((row) => row.name);
  }

  const reader: SnapshotReader = {
    migrations: appliedMigrations,
    tables,
    async *rows(table) {
      const keys = await primaryKey(table.name);
      const order = keys.length > 0 ? ` ORDER BY ${keys.map(quoteIdentifier).join(', ')}` : '';
      await client.query(
        `DECLARE signet_backup NO SCROLL CURSOR FOR SELECT ${table.columns.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(table.name)}${order}`,
      );
      try {
        for (;;) {
          const batch = await client.query<unknown[]>({
            text: `FETCH ${FETCH_ROWS} FROM signet_backup`,
            rowMode: 'array',
          });
          for (const row of batch.rows) yield row.map(toDumpValue);
          if (batch.rows.length < FETCH_ROWS) break;
        }
      } finally {
        await client.query('CLOSE signet_backup');
      }
    },
  };

  const writer: RestoreWriter = {
    tables,
    async hasRows() {
      for (const table of await tables()) {
        const { rowCount } = await client.query(`SELECT 1 FROM ${quoteIdentifier(table.name)} LIMIT 1`);
        if (rowCount) return true;
      }
      return false;
    },
    async insert(table, rows) {
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / table.columns.length));
      const columns = table.columns.map(quoteIdentifier).join(', ');
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement);
        const values: unknown[] = [];
        const tuples = chunk.map((row) => {
          const marks = row.map((value) => {
            values.push(toPostgresValue(value));
            return `$${values.length}`;
          });
          return `(${marks.join(', ')})`;
        });
        // Identity columns (audit event ids) keep their stored values: ids are page cursors.
        await client.query(
          `INSERT INTO ${quoteIdentifier(table.name)} (${columns}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`,
          values,
        );
      }
    },
  };

  /** Moves every identity sequence past the restored ids, so the next event gets a fresh one. */
  async function advanceSequences(): Promise<void> {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`,
    );
    for (const row of rows) {
      const table = quoteIdentifier(row.table_name);
      const column = quoteIdentifier(row.column_name);
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), max_id) FROM (SELECT max(${column}) AS max_id FROM ${table}) m WHERE max_id IS NOT NULL`,
        [table, row.column_name],
      );
    }
  }

  return {
    engine: 'postgres',
    migrationIds: postgresMigrations.map((migration) => migration.id),
    async snapshot(fn) {
      // One snapshot for every statement of the transaction: rows committed meanwhile stay unseen.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await fn(reader);
      } finally {
        await client.query('COMMIT').catch(() => undefined);
      }
    },
    async migrate(only) {
      await migratePostgres(
        client,
        only ? postgresMigrations.filter((migration) => only.has(migration.id)) : postgresMigrations,
      );
    },
    appliedMigrations,
    async restore(fn) {
      // The migration lock holds off a server starting (it migrates first), the write lock any
      // running one, until the restored rows are committed.
      await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, ${MIGRATION_LOCK}), pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, ${WRITE_LOCK})`,
      );
      try {
        await fn(writer);
        await advanceSequences();
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

function toDumpValue(value: unknown): DumpValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (Buffer.isBuffer(value)) return { base64: value.toString('base64') };
  throw new Error(`a PostgreSQL value of type ${typeof value} has no backup form`);
}

function toPostgresValue(value: DumpValue): unknown {
  if (value !== null && typeof value === 'object') return Buffer.from(value.base64, 'base64');
  return value;
}

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, test } from 'node:test';
import pg from 'pg';
import type { DatabaseDump, DumpValue, SnapshotReader } from '../../src/storage/backup/database-dump.ts';
import { openPostgresDump } from '../../src/storage/postgres/open-postgres-dump.ts';
import { openSqliteDump } from '../../src/storage/sqlite/open-sqlite-dump.ts';
import { createTestDatabase } from '../helpers/postgres-server.ts';

async function tenantIds(reader: SnapshotReader): Promise<DumpValue[]> {
  const tenants = (await reader.tables()).find((table) => table.name === 'tenants')!;
  const ids: DumpValue[] = [];
  for await (const row of reader.rows(tenants)) ids.push(row[tenants.columns.indexOf('id')]!);
  return ids;
}

/** A write committed by another connection mid-backup must stay invisible to the rest of that backup. */
async function assertSnapshot(dump: DatabaseDump, write: (id: string) => Promise<void>): Promise<void> {
  await dump.migrate();
  await write('before');
  const seen = await dump.snapshot(async (reader) => {
    const first = await tenantIds(reader);
    await write('during');
    return { first, second: await tenantIds(reader) };
  });
  assert.deepEqual(seen.first, ['before']);
  assert.deepEqual(seen.second, ['before'], 'a row committed during the backup is not in it');
  assert.deepEqual(await dump.snapshot(tenantIds), ['before', 'during']);
}

describe('a backup reads one snapshot while others write', () => {
  test('SQLite: a deferred read transaction on its own connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-snapshot-'));
    const path = join(dir, 'signet.db');
    const dump = openSqliteDump(path, { create: true });
    const other = new DatabaseSync(path);
    try {
      await assertSnapshot(dump, async (id) => {
        other.prepare('INSERT INTO tenants (id, display_name, created_at) VALUES (?, ?, 0)').run(id, id);
      });
    } finally {
      other.close();
      await dump.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PostgreSQL: one REPEATABLE READ READ ONLY transaction', async () => {
    const db = await createTestDatabase();
    const dump = await openPostgresDump(db.url, 5000);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await assertSnapshot(dump, async (id) => {
        await other.query('INSERT INTO tenants (id, display_name, created_at) VALUES ($1, $1, 0)', [id]);
      });
    } finally {
      await other.end();
      await dump.close();
      await db.drop();
    }
  });
});

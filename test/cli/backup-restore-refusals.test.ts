import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run-cli.ts';
import { generateMasterKeyText } from '../../src/crypto/master-key.ts';
import { SEALED_COLUMNS } from '../../src/storage/backup/sealed-columns.ts';
import { openPostgresDump } from '../../src/storage/postgres/open-postgres-dump.ts';
import { createTestDatabase } from '../helpers/postgres-server.ts';
import { freePort, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

/** Runs the real CLI in-process and returns its exit code and output. */
async function signet(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { ...env },
  });
  return { code, stdout, stderr };
}

/** The rows of a backup file (plain JSON lines), by table, as objects. */
function backupRows(file: string): Map<string, Record<string, unknown>[]> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = JSON.parse(lines[0]!) as { tables: { name: string; columns: string[] }[] };
  const columns = new Map(header.tables.map((table) => [table.name, table.columns]));
  const rows = new Map<string, Record<string, unknown>[]>(header.tables.map((table) => [table.name, []]));
  for (const line of lines.slice(1, -1)) {
    const row = JSON.parse(line) as { t: string; r: unknown[] };
    rows.get(row.t)!.push(Object.fromEntries(columns.get(row.t)!.map((column, index) => [column, row.r[index]])));
  }
  return rows;
}

/** Rewrites a backup's lines with `edit` and a trailer digest that matches again. */
function rewriteWithValidDigest(file: string, out: string, edit: (lines: string[]) => string[]): void {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const body = edit(lines.slice(0, -1));
  const trailer = JSON.parse(lines.at(-1)!);
  trailer.end.sha256 = createHash('sha256')
    .update(body.map((line) => `${line}\n`).join(''))
    .digest('hex');
  writeFileSync(out, `${body.join('\n')}\n${JSON.stringify(trailer)}\n`);
}

function tenantCount(dataDir: string): number {
  const path = join(dataDir, 'signet.db');
  if (!existsSync(path)) return 0;
  const db = new DatabaseSync(path);
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'tenants'").get();
    return table ? Number((db.prepare('SELECT count(*) AS n FROM tenants').get() as { n: number }).n) : 0;
  } finally {
    db.close();
  }
}

describe('signet restore refuses what it cannot restore whole, before writing anything', () => {
  const masterKey = generateMasterKeyText();
  const env = { SIGNET_MASTER_KEY: masterKey };
  const dirs: string[] = [];
  let server: SpawnedSignet;
  let sourceDir: string;
  let backup: string;
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-restore-'));
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    sourceDir = tempDir();
    server = await spawnSignet({ dataDir: sourceDir, port: await freePort(), env });
    backup = join(tempDir(), 'backup.jsonl');
    const result = await signet(['backup', backup, '--data-dir', sourceDir], env);
    assert.equal(result.code, 0, result.stderr);
  });
  after(async () => {
    await server?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const refuses = async (file: string, code: string, exitCode: number, restoreEnv = env, target = tempDir()) => {
    const result = await signet(['restore', file, '--data-dir', target], restoreEnv);
    assert.equal(result.code, exitCode, result.stderr);
    assert.ok(result.stderr.includes(`(${code})`), result.stderr);
    return target;
  };

  test('the untouched backup restores', async () => {
    const target = tempDir();
    const result = await signet(['restore', backup, '--data-dir', target], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(tenantCount(target), 1);
  });

  test('a truncated file (last line cut) is ERR_BACKUP_INVALID and nothing is written', async () => {
    const cut = join(tempDir(), 'cut.jsonl');
    const lines = readFileSync(backup, 'utf8').trim().split('\n');
    writeFileSync(cut, `${lines.slice(0, -1).join('\n')}\n`);
    assert.equal(tenantCount(await refuses(cut, 'ERR_BACKUP_INVALID', 2)), 0);
  });

  test('a row altered after the backup is ERR_BACKUP_INVALID and nothing is written', async () => {
    const altered = join(tempDir(), 'altered.jsonl');
    writeFileSync(altered, readFileSync(backup, 'utf8').replace('"default"', '"defaulT"'));
    assert.equal(tenantCount(await refuses(altered, 'ERR_BACKUP_INVALID', 2)), 0);
  });

  test('a file from a newer schema (an unknown migration id) is ERR_BACKUP_SCHEMA_NEWER', async () => {
    const newer = join(tempDir(), 'newer.jsonl');
    rewriteWithValidDigest(backup, newer, (lines) => {
      const header = JSON.parse(lines[0]!);
      header.schema.push('2099-01-01-from-the-future');
      return [JSON.stringify(header), ...lines.slice(1)];
    });
    assert.equal(tenantCount(await refuses(newer, 'ERR_BACKUP_SCHEMA_NEWER', 2)), 0);
  });

  test('keys the configured master key cannot unseal are ERR_MASTER_KEY_MISMATCH', async () => {
    const other = { SIGNET_MASTER_KEY: generateMasterKeyText() };
    assert.equal(tenantCount(await refuses(backup, 'ERR_MASTER_KEY_MISMATCH', 2, other)), 0);
  });

  test('a sealed key moved onto another row fails its unseal check (the AAD binds it to its row)', async () => {
    const swapped = join(tempDir(), 'swapped.jsonl');
    rewriteWithValidDigest(backup, swapped, (lines) => {
      const header = JSON.parse(lines[0]!) as { tables: { name: string; columns: string[] }[] };
      const kid = header.tables.find((table) => table.name === 'keys')!.columns.indexOf('kid');
      return lines.map((line) => {
        const row = JSON.parse(line);
        if (row.t !== 'keys') return line;
        row.r[kid] = `${row.r[kid]}x`;
        return JSON.stringify(row);
      });
    });
    await refuses(swapped, 'ERR_MASTER_KEY_MISMATCH', 2);
  });

  test('a row the schema refuses (a second active key) rolls the whole restore back, on SQLite and PostgreSQL', async () => {
    const broken = join(tempDir(), 'two-active.jsonl');
    rewriteWithValidDigest(backup, broken, (lines) => {
      const header = JSON.parse(lines[0]!) as { tables: { name: string; columns: string[] }[] };
      const columns = header.tables.find((table) => table.name === 'keys')!.columns;
      return lines.map((line) => {
        const row = JSON.parse(line);
        if (row.t !== 'keys' || row.r[columns.indexOf('state')] !== 'next') return line;
        row.r[columns.indexOf('state')] = 'active';
        return JSON.stringify(row);
      });
    });
    // The keys come after the tenants, key sets and audit events: all of them must be gone again.
    assert.equal(tenantCount(await refuses(broken, 'ERR_BACKUP_INVALID', 2)), 0);
    const db = await createTestDatabase();
    try {
      const result = await signet(['restore', broken, '--database-url', db.url, '--data-dir', tempDir()], env);
      assert.equal(result.code, 2, result.stderr);
      assert.ok(result.stderr.includes('(ERR_BACKUP_INVALID)'), result.stderr);
      assert.ok(!result.stderr.includes('sgk1.'), 'no sealed key in the message');
      const dump = await openPostgresDump(db.url, 5000);
      try {
        const tenants = await dump.snapshot(async (reader) => {
          const table = (await reader.tables()).find((entry) => entry.name === 'tenants')!;
          const rows = [];
          for await (const row of reader.rows(table)) rows.push(row);
          return rows;
        });
        assert.deepEqual(tenants, []);
      } finally {
        await dump.close();
      }
      const again = await signet(['restore', backup, '--database-url', db.url, '--data-dir', tempDir()], env);
      assert.equal(again.code, 0, again.stderr);
      const twice = await signet(['restore', backup, '--database-url', db.url, '--data-dir', tempDir()], env);
      assert.equal(twice.code, 5, twice.stderr);
      assert.ok(twice.stderr.includes('(ERR_RESTORE_TARGET_NOT_EMPTY)'), twice.stderr);
    } finally {
      await db.drop();
    }
  });

  test('a target that holds data is ERR_RESTORE_TARGET_NOT_EMPTY and keeps its own rows', async () => {
    const target = tempDir();
    assert.equal((await signet(['restore', backup, '--data-dir', target], env)).code, 0);
    await refuses(backup, 'ERR_RESTORE_TARGET_NOT_EMPTY', 5, env, target);
    assert.equal(tenantCount(target), 1);
  });

  test('a backup taken while rotations run is one consistent snapshot: I1 and I2 hold in it', async () => {
    const credentials = JSON.parse(readFileSync(join(sourceDir, 'bootstrap-credentials.json'), 'utf8'));
    const headers = { authorization: `Bearer ${credentials.apiToken}`, 'content-type': 'application/json' };
    const keySets = (await (await fetch(`${server.url}/signet/v1/key-sets`, { headers })).json()) as any;
    const keySetId = keySets.items[0].id as string;
    let rotating = true;
    let rotations = 0;
    const storm = (async () => {
      while (rotating) {
        const response = await fetch(`${server.url}/signet/v1/key-sets/${keySetId}/rotate`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ force: true }),
        });
        await response.arrayBuffer();
        if (response.status === 200) rotations += 1;
      }
    })();
    const files: string[] = [];
    try {
      for (let index = 0; index < 4; index += 1) {
        const file = join(tempDir(), `during-${index}.jsonl`);
        const result = await signet(['backup', file, '--data-dir', sourceDir], env);
        assert.equal(result.code, 0, result.stderr);
        files.push(file);
      }
    } finally {
      rotating = false;
      await storm;
    }
    assert.ok(rotations > 0, 'rotations ran during the backups');
    for (const file of files) {
      const rows = backupRows(file);
      for (const set of rows.get('key_sets')!) {
        const keys = rows.get('keys')!.filter((key) => key.key_set_id === set.id);
        assert.equal(keys.filter((key) => key.state === 'active').length, 1, 'I1');
        assert.ok(keys.filter((key) => key.state === 'next').length <= 1, 'I2');
        // Every key's state change has its audit event in the same snapshot (I5).
        const activations = rows.get('audit_events')!.filter((e) => e.key_set_id === set.id && e.to_state === 'active');
        assert.equal(activations.length, keys.filter((key) => key.activated_at !== null).length);
      }
      const target = tempDir();
      const restored = await signet(['restore', file, '--data-dir', target], env);
      assert.equal(restored.code, 0, restored.stderr);
    }
  });
});

describe('a backup holds every table of the schema', () => {
  test('on SQLite and PostgreSQL, every table but schema_migrations is in the backup, and every sealed_* column is checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-schema-'));
    const db = await createTestDatabase();
    const env = { SIGNET_MASTER_KEY: generateMasterKeyText() };
    try {
      // An empty backup restored into each engine migrates it; its schema is then the reference.
      const seed = join(dir, 'seed');
      const empty = join(dir, 'empty.jsonl');
      const server = await spawnSignet({ dataDir: seed, port: await freePort(), env });
      await server.stop();
      assert.equal((await signet(['backup', empty, '--data-dir', seed], env)).code, 0);
      const header = JSON.parse(readFileSync(empty, 'utf8').split('\n')[0]!) as {
        tables: { name: string; columns: string[] }[];
      };
      const inBackup = header.tables.map((table) => table.name).sort();

      const sqlite = new DatabaseSync(join(seed, 'signet.db'));
      const sqliteTables = (
        sqlite
          .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
          .all() as { name: string }[]
      )
        .map((row) => row.name)
        .filter((name) => name !== 'schema_migrations');
      sqlite.close();
      assert.deepEqual(inBackup, sqliteTables.sort());

      const pg = await openPostgresDump(db.url, 5000);
      try {
        await pg.migrate();
        const pgTables = await pg.snapshot((reader) => reader.tables());
        assert.deepEqual(pgTables.map((table) => table.name).sort(), inBackup);
        for (const table of pgTables) {
          const fromSqlite = header.tables.find((entry) => entry.name === table.name)!;
          assert.deepEqual([...table.columns].sort(), [...fromSqlite.columns].sort(), table.name);
        }
      } finally {
        await pg.close();
      }
      for (const table of header.tables) {
        for (const column of table.columns.filter((name) => name.startsWith('sealed'))) {
          assert.equal(SEALED_COLUMNS[table.name]?.column, column, `${table.name}.${column} is checked on restore`);
        }
      }
    } finally {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

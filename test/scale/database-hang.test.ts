import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { pollUntil } from '../helpers/fresh-get.ts';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.ts';
import { clusterAdmin, startSignetCluster } from '../helpers/signet-cluster.ts';

type Cluster = Awaited<ReturnType<typeof startSignetCluster>>;

// A PostgreSQL server of its own: this test freezes it, which must not touch other tests' databases.
// Short timeouts so the test is quick; the defaults (docs/configuration.md) are longer.
let server: PostgresServer;
let cluster: Cluster;
let keySetId: string;
before(async () => {
  server = await startPostgres();
  cluster = await startSignetCluster(server.url, 1, {
    SIGNET_DATABASE_STATEMENT_TIMEOUT_SECONDS: '2',
    SIGNET_DATABASE_LOCK_TIMEOUT_SECONDS: '1',
    SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
  });
  const keySets = (await (
    await fetch(`${cluster.instances[0]!.url}/signet/v1/key-sets`, { headers: clusterAdmin })
  ).json()) as { items: { id: string }[] };
  keySetId = keySets.items[0]!.id;
});
after(async () => {
  await cluster?.stop();
  await server?.stop();
});

/** A forced rotation; the client gives up after 30 s so a hang fails the test instead of stalling it. */
async function rotate(): Promise<{ status: number; body: { error?: { code: string; requestId: string } } }> {
  const response = await fetch(`${cluster.instances[0]!.url}/signet/v1/key-sets/${keySetId}/rotate`, {
    method: 'POST',
    headers: clusterAdmin,
    body: '{"force":true}',
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; requestId: string } } };
}

function assertUnavailable(answer: Awaited<ReturnType<typeof rotate>>): void {
  assert.equal(answer.status, 503, JSON.stringify(answer.body));
  assert.equal(answer.body.error?.code, 'ERR_UNAVAILABLE');
  assert.ok(answer.body.error?.requestId, 'the native envelope');
}

const recovers = () => pollUntil(async () => (await rotate()).status === 200, 30_000, 250);

test('a lock held by another connection past the lock timeout answers 503 in the native envelope, and rotation works once it is released', async () => {
  assert.equal((await rotate()).status, 200);
  const holder = new pg.Client({ connectionString: server.url });
  await holder.connect();
  try {
    await holder.query('BEGIN; LOCK TABLE keys IN ACCESS EXCLUSIVE MODE');
    assertUnavailable(await rotate());
    await holder.query('ROLLBACK');
  } finally {
    await holder.end();
  }
  assert.ok(await recovers(), 'rotation works again once the lock is gone');
});

/** The postmaster of the test server and its children (backends and helpers), by pid. */
async function postgresProcesses(): Promise<number[]> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const dataDirectory = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  await client.end();
  const postmaster = Number(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // Field 4 of /proc/PID/stat is the parent pid (the command in field 2 has no spaces here).
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[3]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

/** Sends `name` to `pid`; a backend that ended meanwhile (the listing's own connection) is no error. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

test('a PostgreSQL that hangs (every server process stopped) answers 503 in the native envelope within the timeouts, and recovers after it continues', async () => {
  assert.equal((await rotate()).status, 200);
  const pids = await postgresProcesses();
  for (const pid of pids) signal(pid, 'SIGSTOP');
  try {
    assertUnavailable(await rotate());
    // A second request meets a fresh connection that cannot complete its start-up: the same answer.
    assertUnavailable(await rotate());
  } finally {
    for (const pid of pids) signal(pid, 'SIGCONT');
  }
  assert.ok(await recovers(), 'rotation works again once PostgreSQL continues');
});

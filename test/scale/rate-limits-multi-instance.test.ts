import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { INSTANCE_APPLICATION_NAME } from '../../src/storage/store.ts';
import { pollUntil } from '../helpers/fresh-get.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';
import { clusterAdmin, startSignetCluster } from '../helpers/signet-cluster.ts';

type Cluster = Awaited<ReturnType<typeof startSignetCluster>>;
const LIMIT = 40;

// Two real `signet serve` processes on one PostgreSQL database, each enforcing its share of the
// limit (limit / instances counted from the listening connections). Nothing is timed: the count is
// refreshed every few seconds, so the measurement is retried with a fresh credential until it holds.
describe('rate limits across two instances on one PostgreSQL database', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let cluster: Cluster;
  let sql: pg.Client;

  before(async () => {
    database = await createTestDatabase();
    cluster = await startSignetCluster(database.url, 2, { SIGNET_RATE_LIMIT_MANAGEMENT_PER_MINUTE: String(LIMIT) });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await cluster?.stop();
    await database?.drop();
  });

  /** A fresh API token (a fresh per-credential bucket on every instance). */
  async function freshToken(): Promise<string> {
    const response = await fetch(`${cluster.instances[0]!.url}/signet/v1/api-tokens`, {
      method: 'POST',
      headers: clusterAdmin,
      body: JSON.stringify({ name: 'rate probe', scopes: ['authorization-servers:read'] }),
    });
    assert.equal(response.status, 201);
    return ((await response.json()) as { token: string }).token;
  }

  /** Calls both instances in turn with one credential until both refuse; how many calls passed. */
  async function allowedInTotal(): Promise<number> {
    const token = await freshToken();
    let allowed = 0;
    const refused = new Set<number>();
    for (let i = 0; refused.size < 2 && i < 4 * LIMIT; i += 1) {
      const which = i % 2;
      const response = await fetch(`${cluster.instances[which]!.url}/signet/v1/authorization-servers`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      if (response.status === 429) refused.add(which);
      else {
        assert.equal(response.status, 200);
        allowed += 1;
      }
    }
    return allowed;
  }

  test('each instance enforces limit / instances, so the total stays near the configured limit', async (t) => {
    const counted = async () =>
      (
        await sql.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
          [INSTANCE_APPLICATION_NAME],
        )
      ).rows[0]!.n === 2;
    assert.ok(await pollUntil(counted, 30_000), 'both instances listen');
    const totals: number[] = [];
    // Until both instances have recounted (every 5 s) an instance may still allow the whole limit.
    const held = await pollUntil(
      async () => {
        totals.push(await allowedInTotal());
        return totals.at(-1)! <= LIMIT + 2;
      },
      30_000,
      1_000,
    );
    t.diagnostic(`allowed in total with a limit of ${LIMIT}/min on 2 instances: ${totals.join(', ')}`);
    assert.ok(held, `totals ${totals.join(', ')}`);
    // Each instance still allows its share: the limit is divided, not lost.
    assert.ok(totals.at(-1)! >= LIMIT - 2, `totals ${totals.join(', ')}`);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';
import { freshGet, pollUntil } from '../helpers/fresh-get.ts';
import {
  clusterAdmin,
  clusterClientBasic,
  startSignetCluster,
  type ClusterInstance,
} from '../helpers/signet-cluster.ts';

type Cluster = Awaited<ReturnType<typeof startSignetCluster>>;

// Three real `signet serve` processes on one PostgreSQL database. Timings are never asserted:
// "every instance serves the same JWKS" is polled with a generous deadline.
describe('three instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let cluster: Cluster;
  let sql: pg.Client;

  before(async () => {
    database = await createTestDatabase();
    // A storm queues many requests on each instance's connection pool; on a loaded machine the
    // default 5 s wait for a connection would turn some into 503s (load shedding, not a fault).
    cluster = await startSignetCluster(database.url, 3, { SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS: '60' });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await cluster?.stop();
    await database?.drop();
  });

  /** Creates an ES256 authorization server (fast key generation) through the first instance. */
  async function createServer(id: string): Promise<string> {
    const response = await fetch(`${cluster.instances[0]!.url}/signet/v1/authorization-servers`, {
      method: 'POST',
      headers: clusterAdmin,
      body: JSON.stringify({ id, audiences: [`api://${id}`], alg: 'ES256' }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { signingKeySetId: string }).signingKeySetId;
  }

  /** `count` forced rotations at once, spread over `targets` in turn; each result is a status or 'network'. */
  function storm(
    targets: readonly ClusterInstance[],
    keySetId: string,
    count: number,
    onResult?: (done: number) => void,
  ) {
    let done = 0;
    return Promise.all(
      Array.from({ length: count }, async (_, i): Promise<number | 'network'> => {
        const target = targets[i % targets.length]!;
        try {
          const response = await fetch(`${target.url}/signet/v1/key-sets/${keySetId}/rotate`, {
            method: 'POST',
            headers: clusterAdmin,
            body: '{"force":true}',
          });
          await response.arrayBuffer();
          return response.status;
        } catch {
          return 'network';
        } finally {
          done += 1;
          onResult?.(done);
        }
      }),
    );
  }

  /** I1 and I2 over the whole database, and the facts of one key set, straight from PostgreSQL. */
  async function databaseFacts(keySetId: string) {
    const broken = await sql.query(`SELECT key_set_id FROM keys GROUP BY key_set_id
      HAVING count(*) FILTER (WHERE state = 'active') <> 1 OR count(*) FILTER (WHERE state = 'next') > 1`);
    const keys = await sql.query<{ count: string }>('SELECT count(*) FROM keys WHERE key_set_id = $1', [keySetId]);
    const published = await sql.query<{ kid: string }>(
      `SELECT kid FROM keys WHERE key_set_id = $1 AND state IN ('next', 'active', 'draining') ORDER BY kid`,
      [keySetId],
    );
    const audit = await sql.query<{ action: string; count: string }>(
      `SELECT action, count(*) FROM audit_events WHERE key_set_id = $1 AND operation = 'rotate' GROUP BY action`,
      [keySetId],
    );
    return {
      brokenKeySets: broken.rows.length,
      keys: Number(keys.rows[0]!.count),
      publishedKids: published.rows.map((row) => row.kid),
      rotateEvents: Object.fromEntries(audit.rows.map((row) => [row.action, Number(row.count)])),
    };
  }

  async function servedJwks(
    instance: ClusterInstance,
    serverId: string,
  ): Promise<{ kids: string[]; etag: unknown } | null> {
    const response = await freshGet(`${instance.url}/oauth2/${serverId}/v1/keys`).catch(() => null);
    if (response?.status !== 200) return null;
    return {
      kids: (JSON.parse(response.body).keys as { kid: string }[]).map((key) => key.kid).sort(),
      etag: response.headers.etag,
    };
  }

  /**
   * Polls until every instance serves exactly `kids` for the server, as the same document (same
   * ETag); a bounded wait, no timing asserted.
   */
  async function allServe(instances: readonly ClusterInstance[], serverId: string, kids: string[]): Promise<boolean> {
    return pollUntil(
      async () => {
        const served = await Promise.all(instances.map((instance) => servedJwks(instance, serverId)));
        return served.every(
          (jwks) => JSON.stringify(jwks?.kids) === JSON.stringify(kids) && jwks?.etag === served[0]?.etag,
        );
      },
      15_000,
      50,
    );
  }

  test('200 concurrent rotations over three instances: I1 and I2 hold, one key and three audit events per rotation, every instance serves the same JWKS, every token verifies everywhere', async () => {
    const keySetId = await createServer('storm');
    assert.ok(
      await allServe(cluster.instances, 'storm', (await databaseFacts(keySetId)).publishedKids),
      'the new server reached every instance',
    );

    // Tokens from every instance while the storm runs.
    const tokens: string[] = [];
    let storming = true;
    const issuing = Promise.all(
      cluster.instances.map(async (instance) => {
        while (storming) {
          const response = await fetch(`${instance.url}/oauth2/storm/v1/token`, {
            method: 'POST',
            headers: { authorization: clusterClientBasic, 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials',
          });
          assert.equal(response.status, 200);
          tokens.push(((await response.json()) as { access_token: string }).access_token);
          // A steady trickle, not a flood: the storm is what is under test.
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }),
    );
    const results = await storm(cluster.instances, keySetId, 200);
    storming = false;
    await issuing;

    // Forced rotations are never refused for timing; an overloaded instance may shed a request
    // with 503, which is accounted for below (it may or may not have committed).
    assert.deepEqual(
      results.filter((status) => status !== 200 && status !== 503),
      [],
    );
    const succeeded = results.filter((status) => status === 200).length;
    const shed = results.length - succeeded;
    const facts = await databaseFacts(keySetId);
    const rotations = facts.rotateEvents['key.activated'] ?? 0;
    assert.equal(facts.brokenKeySets, 0, 'I1 and I2 hold for every key set');
    assert.ok(
      rotations >= succeeded && rotations <= succeeded + shed,
      `${rotations} rotations for ${succeeded} successes and ${shed} shed requests`,
    );
    assert.equal(facts.keys, 2 + rotations, 'each rotation added exactly one key');
    assert.deepEqual(
      facts.rotateEvents,
      { 'key.activated': rotations, 'key.draining': rotations, 'key.generated': rotations },
      'one audit event per transition',
    );
    assert.ok(
      await allServe(cluster.instances, 'storm', facts.publishedKids),
      'all three serve the published keys of the database',
    );

    assert.ok(tokens.length >= 3);
    const signingKids = new Set(tokens.map((token) => decodeProtectedHeader(token).kid));
    assert.ok(signingKids.size > 1, 'tokens were signed by keys that rotated during the storm');
    for (const instance of cluster.instances) {
      const jwks = createLocalJWKSet(JSON.parse((await freshGet(`${instance.url}/oauth2/storm/v1/keys`)).body));
      for (const token of tokens) await jwtVerify(token, jwks, { audience: 'api://storm' });
    }
  });

  test('a storm with one instance killed (SIGKILL) midway: no invariant broken, every committed rotation fully audited, the restarted instance catches up', async () => {
    const keySetId = await createServer('crash');
    const victim = cluster.instances[2]!;
    let killed = false;
    const results = await storm(cluster.instances, keySetId, 90, (done) => {
      if (!killed && done >= 30) {
        killed = true;
        victim.current().process.kill('SIGKILL');
      }
    });
    assert.ok(killed);
    const succeeded = results.filter((status) => status === 200).length;
    const lost = results.length - succeeded;
    assert.deepEqual(
      results.filter((status) => status !== 200 && status !== 'network' && status !== 503),
      [],
      'no request was refused for any other reason',
    );

    const facts = await databaseFacts(keySetId);
    const rotations = facts.rotateEvents['key.activated'] ?? 0;
    assert.equal(facts.brokenKeySets, 0, 'I1 and I2 hold for every key set');
    // A request cut by the kill may or may not have committed; nothing is ever half-done.
    assert.ok(
      rotations >= succeeded && rotations <= succeeded + lost,
      `${rotations} rotations for ${succeeded} successes and ${lost} cut requests`,
    );
    assert.equal(facts.keys, 2 + rotations, 'one key per committed rotation');
    assert.deepEqual(facts.rotateEvents, {
      'key.activated': rotations,
      'key.draining': rotations,
      'key.generated': rotations,
    });

    await victim.restart();
    assert.ok(
      await allServe(cluster.instances, 'crash', facts.publishedKids),
      'the restarted instance serves what the others serve',
    );
    // And it takes part again: a rotation through it reaches the other two.
    const rotated = await fetch(`${victim.url}/signet/v1/key-sets/${keySetId}/rotate`, {
      method: 'POST',
      headers: clusterAdmin,
      body: '{"force":true}',
    });
    assert.equal(rotated.status, 200);
    assert.ok(await allServe(cluster.instances, 'crash', (await databaseFacts(keySetId)).publishedKids));
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pollUntil } from '../helpers/fresh-get.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';
import { clusterAdmin, startSignetCluster, type ClusterInstance } from '../helpers/signet-cluster.ts';

type Cluster = Awaited<ReturnType<typeof startSignetCluster>>;
interface Consumer {
  name: string | null;
  address: string;
  userAgent: string;
  firstSeenAt: string;
  lastFetchAt: string;
  ready: boolean;
  laggingSince: string | null;
  observedIntervalSeconds: number | null;
  fetchCount: number;
}
interface Readiness {
  nextKid: string | null;
  consumerCount: number;
  readyCount: number;
  gate: { open: boolean; reason: string; requiredPercent: number };
  consumers: Consumer[];
}

const SERVER = 'readiness-cluster';
const DEADLINE_MS = 20_000;

// Two real `signet serve` processes on one PostgreSQL database, each writing the JWKS consumers it
// saw every second (SIGNET_READINESS_FLUSH_INTERVAL_SECONDS). Each consumer fetches from one
// instance only; every instance must answer the same readiness and take the same gate decision.
// An instance's own sightings are written before it answers, the other's on that one's interval,
// so the answers are polled until they agree, with a generous deadline.
describe('verifier readiness across two instances on PostgreSQL', () => {
  let database: TestDatabase;
  let cluster: Cluster;
  let first: ClusterInstance;
  let second: ClusterInstance;
  let keySetId: string;

  const call = async (instance: ClusterInstance, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${instance.url}/signet/v1${path}`, {
      method,
      headers: body === undefined ? { authorization: clusterAdmin.authorization } : clusterAdmin,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const readiness = async (instance: ClusterInstance): Promise<Readiness> => {
    const answer = await call(instance, 'GET', `/key-sets/${keySetId}/readiness`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body as Readiness;
  };
  /**
   * Polls the first instance until `expected` holds of its answer, then asks the second. The first
   * flushes only its own sightings before it answers: what the second saw reaches it only through
   * the second's interval flush. Both answers must then be equal.
   */
  async function agreed(expected: (answer: Readiness) => boolean): Promise<Readiness> {
    let answer: Readiness | null = null;
    const ok = await pollUntil(async () => expected((answer = await readiness(first))), DEADLINE_MS);
    assert.ok(ok, `the first instance sees what the second saw: ${JSON.stringify(answer)}`);
    assert.deepEqual(await readiness(second), answer, 'the second instance answers the same');
    return answer!;
  }
  /**
   * Fetches the JWKS from `instance` as a named consumer until the document holds `kid` (the
   * instance learns of another's rotation on its own schedule); each attempt is a real fetch.
   */
  async function fetchUntilServed(
    instance: ClusterInstance,
    headers: Record<string, string>,
    path: string,
    kid: string,
  ): Promise<void> {
    const ok = await pollUntil(async () => {
      const response = await fetch(`${instance.url}${path}`, { headers });
      if (response.status !== 200) return false;
      const jwks = (await response.json()) as { keys: { kid: string }[] };
      return jwks.keys.some((key) => key.kid === kid);
    }, DEADLINE_MS);
    assert.ok(ok, `${instance.url}${path} serves ${kid}`);
  }
  const payments = { 'user-agent': 'Go-http-client/1.1' };
  const paymentsPath = `/oauth2/${SERVER}/v1/keys?consumer=payments`;
  const billing = { 'user-agent': 'jose/v6.2.17', 'signet-consumer': 'billing' };
  const billingPath = `/oauth2/${SERVER}/v1/keys`;
  const byName = (answer: Readiness, name: string) => answer.consumers.find((consumer) => consumer.name === name);

  before(async () => {
    database = await createTestDatabase();
    cluster = await startSignetCluster(database.url, 2, { SIGNET_READINESS_FLUSH_INTERVAL_SECONDS: '1' });
    [first, second] = cluster.instances as [ClusterInstance, ClusterInstance];
    // No cache window: only the readiness gate can refuse a plain rotation of this key set.
    const created = await call(first, 'POST', '/authorization-servers', {
      id: SERVER,
      audiences: ['api://readiness'],
      alg: 'ES256',
      policy: { jwksMaxAgeSeconds: 0, clockSkewSeconds: 0, readinessGatePercent: 100 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    keySetId = created.body.signingKeySetId;
  });
  after(async () => {
    await cluster?.stop();
    await database?.drop();
  });

  let rotatedNext: string;
  test('consumers seen by different instances: after the flush interval both answer the same consumers and ready flags', async () => {
    const firstNext = (await call(first, 'GET', `/key-sets/${keySetId}`)).body.nextKid as string;
    // payments fetches from the second instance only, before a rotation publishes a new next key.
    await fetchUntilServed(second, payments, paymentsPath, firstNext);
    const rotated = await call(first, 'POST', `/key-sets/${keySetId}/rotate`, { force: true });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    rotatedNext = rotated.body.keySet.nextKid;
    assert.notEqual(rotatedNext, firstNext);
    // billing fetches from the first instance only, after it.
    await fetchUntilServed(first, billing, billingPath, rotatedNext);

    const answer = await agreed((body) => body.nextKid === rotatedNext && byName(body, 'payments') !== undefined);
    assert.equal(answer.readyCount, 1);
    assert.deepEqual(
      answer.consumers.map((consumer) => [consumer.name, consumer.userAgent, consumer.address, consumer.ready]),
      [
        ['billing', 'jose/v6.2.17', '127.0.0.1', true],
        ['payments', 'Go-http-client/1.1', '127.0.0.1', false],
      ],
    );
    assert.ok(byName(answer, 'payments')!.laggingSince, 'the lagging consumer says since when');
    assert.deepEqual(answer.gate, { open: false, reason: 'lagging', requiredPercent: 100 });
  });

  test('a native rotate without force is refused by both instances, naming the lagging consumer; nothing changes', async () => {
    const before = (await call(first, 'GET', `/key-sets/${keySetId}/keys`)).body.items;
    for (const instance of [first, second]) {
      const refused = await call(instance, 'POST', `/key-sets/${keySetId}/rotate`, {});
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      const { code, details } = refused.body.error;
      assert.equal(code, 'ERR_READINESS_GATE_CLOSED');
      assert.deepEqual([details.readyCount, details.consumerCount, details.requiredPercent], [1, 2, 100]);
      assert.deepEqual(
        details.lagging.map((consumer: { name: string; userAgent: string }) => [consumer.name, consumer.userAgent]),
        [['payments', 'Go-http-client/1.1']],
        instance.url,
      );
    }
    assert.deepEqual((await call(second, 'GET', `/key-sets/${keySetId}/keys`)).body.items, before);
  });

  test('once the lagging consumer fetched the next key from its instance, both open the gate and a plain rotate goes ahead', async () => {
    await fetchUntilServed(second, payments, paymentsPath, rotatedNext);
    const answer = await agreed((body) => body.readyCount === 2);
    assert.deepEqual(answer.consumers.map((consumer) => [consumer.name, consumer.ready]).sort(), [
      ['billing', true],
      ['payments', true],
    ]);
    assert.deepEqual(answer.gate, { open: true, reason: 'ready', requiredPercent: 100 });
    const rotated = await call(second, 'POST', `/key-sets/${keySetId}/rotate`, {});
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal(rotated.body.keySet.activeKid, rotatedNext, 'the next key both consumers hold now signs');
  });
});

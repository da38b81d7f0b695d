import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pollUntil } from '../helpers/fresh-get.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';
import {
  CLUSTER_CLIENT_ID,
  clusterAdmin,
  clusterClientBasic,
  startSignetCluster,
  type ClusterInstance,
} from '../helpers/signet-cluster.ts';

type Cluster = Awaited<ReturnType<typeof startSignetCluster>>;
interface Signers {
  kid: string;
  signers: { credentialId: string; count: number; firstAt: string; lastAt: string }[];
}

// Two real `signet serve` processes on one PostgreSQL database, each flushing its own signature
// counts every second (SIGNET_SIGNATURE_FLUSH_INTERVAL_SECONDS); the listing sums them. Counts
// reach the log on the instances' own schedule, so the listing is polled with a generous deadline.
describe('who signed with a key, across two instances on PostgreSQL', () => {
  let database: TestDatabase;
  let cluster: Cluster;
  let keySetId: string;
  const credentials: Record<string, { id: string; authorization: string }> = {};

  before(async () => {
    database = await createTestDatabase();
    cluster = await startSignetCluster(database.url, 2, { SIGNET_SIGNATURE_FLUSH_INTERVAL_SECONDS: '1' });
    const first = cluster.instances[0]!;
    for (const name of ['only-first', 'only-second', 'both']) {
      const created = await fetch(`${first.url}/signet/v1/api-tokens`, {
        method: 'POST',
        headers: clusterAdmin,
        body: JSON.stringify({ name, scopes: ['tokens:sign'] }),
      });
      assert.equal(created.status, 201, await created.clone().text());
      const body = (await created.json()) as { id: string; token: string };
      credentials[name] = { id: body.id, authorization: `Bearer ${body.token}` };
    }
    const server = await fetch(`${first.url}/signet/v1/authorization-servers/default`, { headers: clusterAdmin });
    keySetId = ((await server.json()) as { signingKeySetId: string }).signingKeySetId;
  });
  after(async () => {
    await cluster?.stop();
    await database?.drop();
  });

  /** Signs `times` tokens through one instance; returns the kid that signed them. */
  async function sign(instance: ClusterInstance, name: string, times: number): Promise<string> {
    let kid = '';
    for (let i = 0; i < times; i += 1) {
      const signed = await fetch(`${instance.url}/signet/v1/authorization-servers/default/sign`, {
        method: 'POST',
        headers: { authorization: credentials[name]!.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ claims: { sub: `user-${i}`, aud: 'rp' } }),
      });
      assert.equal(signed.status, 200, await signed.clone().text());
      kid = ((await signed.json()) as { kid: string }).kid;
    }
    return kid;
  }
  async function issueClientTokens(instance: ClusterInstance, times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      const issued = await fetch(`${instance.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: clusterClientBasic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=keys%3Aread',
      });
      assert.equal(issued.status, 200, await issued.clone().text());
    }
  }
  async function counts(instance: ClusterInstance, kid: string): Promise<Record<string, number>> {
    const response = await fetch(`${instance.url}/signet/v1/key-sets/${keySetId}/keys/${kid}/signers`, {
      headers: { authorization: clusterAdmin.authorization },
    });
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as Signers;
    assert.equal(body.kid, kid);
    return Object.fromEntries(body.signers.map((signer) => [signer.credentialId, signer.count]));
  }
  /** Polls until the listing (read through `instance`) equals `expected`. */
  async function expectCounts(instance: ClusterInstance, kid: string, expected: Record<string, number>) {
    let last: Record<string, number> = {};
    const reached = await pollUntil(async () => {
      last = await counts(instance, kid);
      return JSON.stringify(Object.entries(last).sort()) === JSON.stringify(Object.entries(expected).sort());
    }, 30_000);
    assert.deepEqual(last, expected, `listing never reached ${JSON.stringify(expected)}`);
    assert.ok(reached);
  }

  let compromised = '';
  let successor = '';

  test("after an emergency rotation, the listing sums every instance's counts per credential", async () => {
    const [first, second] = cluster.instances as [ClusterInstance, ClusterInstance];
    compromised = await sign(first, 'only-first', 5);
    assert.equal(await sign(second, 'only-second', 3), compromised);
    await sign(first, 'both', 2);
    await sign(second, 'both', 4);
    await issueClientTokens(first, 1);
    await issueClientTokens(second, 2);
    const rotated = await fetch(`${first.url}/signet/v1/key-sets/${keySetId}/emergency-rotate`, {
      method: 'POST',
      headers: { authorization: clusterAdmin.authorization },
    });
    assert.equal(rotated.status, 200, await rotated.clone().text());

    const expected = { [credentials['only-first']!.id]: 5, [credentials['only-second']!.id]: 3 };
    Object.assign(expected, { [credentials.both!.id]: 6, [CLUSTER_CLIENT_ID]: 3 });
    await expectCounts(second, compromised, expected);
    await expectCounts(first, compromised, expected);
  });

  test('a graceful shutdown writes the counts of its last interval, and the sums survive restarts', async () => {
    const [first, second] = cluster.instances as [ClusterInstance, ClusterInstance];
    // The second instance flushes only when it stops from now on: what it signed can reach the
    // log through its shutdown alone.
    await second.restart({ SIGNET_SIGNATURE_FLUSH_INTERVAL_SECONDS: '3600' });
    successor = await sign(first, 'both', 2);
    assert.notEqual(successor, compromised);
    assert.equal(await sign(second, 'both', 3), successor);
    await second.restart({ SIGNET_SIGNATURE_FLUSH_INTERVAL_SECONDS: '3600' });
    await expectCounts(second, successor, { [credentials.both!.id]: 5 });
    await first.restart();
    await expectCounts(second, compromised, {
      [credentials['only-first']!.id]: 5,
      [credentials['only-second']!.id]: 3,
      [credentials.both!.id]: 6,
      [CLUSTER_CLIENT_ID]: 3,
    });
  });
});

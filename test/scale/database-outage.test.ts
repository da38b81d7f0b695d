import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.ts';
import { freshGet, pollUntil } from '../helpers/fresh-get.ts';
import { clusterAdmin, clusterClientBasic, startSignetCluster } from '../helpers/signet-cluster.ts';

type Cluster = Awaited<ReturnType<typeof startSignetCluster>>;

// A PostgreSQL server of its own: this test stops it, which must not touch other tests' databases.
let server: PostgresServer;
let cluster: Cluster;
before(async () => {
  server = await startPostgres();
  // The default 30 s reconcile is longer than the recovery deadline below: the change made after the
  // outage must reach the other instance through its reconnected LISTEN.
  cluster = await startSignetCluster(server.url, 2);
});
after(async () => {
  await cluster?.stop();
  await server?.stop();
});

async function token(url: string): Promise<{ status: number; token?: string }> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: clusterClientBasic, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token?: string };
  return { status: response.status, ...(body.access_token ? { token: body.access_token } : {}) };
}

const rotate = (url: string, keySetId: string) =>
  fetch(`${url}/signet/v1/key-sets/${keySetId}/rotate`, {
    method: 'POST',
    headers: clusterAdmin,
    body: '{"force":true}',
  });

test('PostgreSQL down: JWKS and tokens keep working from memory, management answers 503 in the native envelope, and both instances recover by themselves', async () => {
  const [a, b] = cluster.instances;
  const keySets = (await (await fetch(`${a!.url}/signet/v1/key-sets`, { headers: clusterAdmin })).json()) as {
    items: { id: string }[];
  };
  const keySetId = keySets.items[0]!.id;
  const jwksBefore = (await freshGet(`${a!.url}/.well-known/jwks.json`)).body;

  await server.pause();
  try {
    for (const instance of [a!, b!]) {
      const jwks = await freshGet(`${instance.url}/.well-known/jwks.json`);
      assert.equal(jwks.status, 200);
      assert.equal(jwks.body, jwksBefore);
      const issued = await token(instance.url);
      assert.equal(issued.status, 200, 'tokens are signed from memory');
      await jwtVerify(issued.token!, createLocalJWKSet(JSON.parse(jwks.body)), { audience: 'api://default' });
      const ready = await freshGet(`${instance.url}/readyz`);
      assert.equal(ready.status, 200, 'still ready for public traffic');
      assert.deepEqual(JSON.parse(ready.body), { status: 'degraded', database: 'unreachable', custody: 'ok' });
    }
    const refused = await rotate(a!.url, keySetId);
    assert.equal(refused.status, 503);
    const body = (await refused.json()) as { error: { code: string; message: string; requestId: string } };
    assert.equal(body.error.code, 'ERR_UNAVAILABLE');
    assert.match(body.error.message, /database/);
    assert.ok(body.error.requestId);
    const read = await fetch(`${b!.url}/signet/v1/key-sets/${keySetId}/keys`, { headers: clusterAdmin });
    assert.equal(read.status, 503, 'a read that needs the database answers 503 too');
  } finally {
    await server.resume();
  }

  // Recovery without a restart: the pool reconnects, and a change on one instance reaches the other.
  let rotated: Response | undefined;
  assert.ok(
    await pollUntil(
      async () => {
        rotated = await rotate(a!.url, keySetId);
        return rotated.status === 200;
      },
      30_000,
      250,
    ),
    'management works again once PostgreSQL is back',
  );
  const keys = ((await rotated!.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid).sort();
  assert.ok(
    await pollUntil(async () => {
      const served = await Promise.all(
        [a!, b!].map(async (instance) =>
          (JSON.parse((await freshGet(`${instance.url}/.well-known/jwks.json`)).body).keys as { kid: string }[])
            .map((key) => key.kid)
            .sort(),
        ),
      );
      return served.every((list) => JSON.stringify(list) === JSON.stringify(keys));
    }, 15_000),
    'both instances serve the rotation made after the outage',
  );
  const ready = JSON.parse((await freshGet(`${b!.url}/readyz`)).body);
  assert.deepEqual(ready, { status: 'ready', database: 'ok', custody: 'ok' });
});

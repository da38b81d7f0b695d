import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/create-test-context.ts';
import { rawRequest, servedRequest, viaFastify, withoutRequestId } from '../helpers/raw-request.ts';

const COMPARED = [
  'cache-control',
  'etag',
  'access-control-allow-origin',
  'content-type',
  'content-length',
  'www-authenticate',
];

describe('JWKS answered before Fastify', () => {
  let context: TestContext;
  let port: number;
  before(async () => {
    context = await createTestContext();
    await context.services.tenants.createTenant(
      { actor: { type: 'system', id: 'test', tenantId: null }, requestId: null, sourceIp: null, surface: 'native' },
      { id: 'acme', hostNames: ['login.acme.test'], alg: 'ES256' },
      { withAdminToken: false },
    );
    await context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (context.app.server.address() as { port: number }).port;
  });
  after(() => context.close());

  const cases: Array<[string, string, Record<string, string>]> = [
    ['the root tenant JWKS', '/.well-known/jwks.json', {}],
    ['the Okta-layout keys of the default server', '/oauth2/default/v1/keys', {}],
    ['a tenant addressed by path', '/t/acme/.well-known/jwks.json', {}],
    ['a tenant addressed by path, Okta layout, with a query string', '/t/acme/oauth2/default/v1/keys?x=1', {}],
    ['a tenant addressed by a claimed host name', '/.well-known/jwks.json', { host: 'login.acme.test' }],
    ['an unknown tenant (left to Fastify)', '/t/ghost/.well-known/jwks.json', {}],
    ['an unknown authorization server (left to Fastify)', '/oauth2/ghost/v1/keys', {}],
    ['a percent-encoded tenant (left to Fastify)', '/t/%61cme/.well-known/jwks.json', {}],
  ];
  for (const [name, path, headers] of cases) {
    const servedBy = name.includes('(left to Fastify)') ? 'fastify' : 'fast-jwks';
    test(`GET ${name} over a socket is served by ${servedBy} and is the response Fastify renders: status, headers and body`, async () => {
      const socket = await servedRequest(context, port, 'GET', path, headers);
      assert.equal(socket.servedBy, servedBy);
      const fastify = await viaFastify(context, 'GET', path, headers);
      assert.equal(socket.status, fastify.status);
      assert.equal(withoutRequestId(socket.body), withoutRequestId(fastify.body));
      for (const header of COMPARED) assert.equal(socket.headers[header], fastify.headers[header], header);
      assert.match(String(socket.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });
  }

  test('If-None-Match with the current ETag (exact, weak or in a list) answers 304 with the caching headers and no body', async () => {
    const { etag } = (await rawRequest(port, 'GET', '/.well-known/jwks.json')).headers;
    for (const ifNoneMatch of [etag!, `W/${etag}`, `"other", ${etag}`, '*']) {
      const socket = await servedRequest(context, port, 'GET', '/.well-known/jwks.json', {
        'if-none-match': ifNoneMatch,
      });
      assert.equal(socket.servedBy, 'fast-jwks');
      const fastify = await viaFastify(context, 'GET', '/.well-known/jwks.json', { 'if-none-match': ifNoneMatch });
      assert.equal(socket.status, 304);
      assert.equal(socket.body, '');
      for (const header of COMPARED) assert.equal(socket.headers[header], fastify.headers[header], header);
    }
    assert.equal((await rawRequest(port, 'GET', '/.well-known/jwks.json', { 'if-none-match': '"stale"' })).status, 200);
  });

  test("a caller's X-Request-Id is echoed by the fast path and by Fastify alike", async () => {
    const fast = await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'x-request-id': 'trace-123' });
    const handedOver = await servedRequest(context, port, 'GET', '/t/ghost/.well-known/jwks.json', {
      'x-request-id': 'trace-123',
    });
    assert.deepEqual([fast.servedBy, handedOver.servedBy], ['fast-jwks', 'fastify']);
    assert.equal(fast.headers['x-request-id'], 'trace-123');
    assert.equal(handedOver.headers['x-request-id'], 'trace-123');
    assert.equal(JSON.parse(handedOver.body).error.requestId, 'trace-123');
  });

  test('discovery is served by Fastify, over a socket as in-process', async () => {
    const socket = await servedRequest(context, port, 'GET', '/.well-known/openid-configuration');
    assert.equal(socket.servedBy, 'fastify');
    assert.equal(socket.status, 200);
    assert.equal(socket.body, (await viaFastify(context, 'GET', '/.well-known/openid-configuration', {})).body);
  });

  test('HEAD is left to Fastify and still gets the headers without the body', async () => {
    const response = await servedRequest(context, port, 'HEAD', '/.well-known/jwks.json');
    assert.equal(response.servedBy, 'fastify');
    assert.equal(response.status, 200);
    assert.equal(response.body, '');
    assert.ok(response.headers.etag);
  });

  test('requests answered before Fastify are counted in the request metric under their route', async () => {
    const count = async (): Promise<number> => {
      const metrics = await rawRequest(port, 'GET', '/metrics');
      const line = metrics.body
        .split('\n')
        .find(
          (l) =>
            l.startsWith('signet_http_request_duration_seconds_count{') &&
            l.includes('route="/t/:addressedTenant/.well-known/jwks.json"') &&
            l.includes('status="200"'),
        );
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await count();
    for (let i = 0; i < 2; i++)
      assert.equal((await servedRequest(context, port, 'GET', '/t/acme/.well-known/jwks.json')).servedBy, 'fast-jwks');
    assert.equal(await count(), before + 2);
    // Fastify records the same route label: one metric whichever path served.
    await viaFastify(context, 'GET', '/t/acme/.well-known/jwks.json', {});
    assert.equal(await count(), before + 3);
  });
});

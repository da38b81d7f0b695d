import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  BASE_URL,
  createTestContext,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { rawRequest, servedRequest, viaFastify, withoutRequestId } from '../helpers/raw-request.ts';

/** RFC 6749 §2.3.1: form-encode, then base64. */
function basic(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

const FORM = 'application/x-www-form-urlencoded';
const COMPARED = ['cache-control', 'pragma', 'content-type', 'www-authenticate'];
const ADMIN = basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET);

describe('token requests answered before Fastify', () => {
  let context: TestContext;
  let port: number;
  before(async () => {
    context = await createTestContext();
    await context.services.tenants.createTenant(
      { actor: { type: 'system', id: 'test', tenantId: null }, requestId: null, sourceIp: null, surface: 'native' },
      { id: 'acme', alg: 'ES256' },
      { withAdminToken: false },
    );
    await context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (context.app.server.address() as { port: number }).port;
  });
  after(() => context.close());

  test("a client_credentials token over a socket carries the RFC 9068 claims, verifies against the JWKS, and has Fastify's headers", async () => {
    for (const path of ['/oauth/token', '/oauth2/default/v1/token']) {
      const socket = await servedRequest(
        context,
        port,
        'POST',
        path,
        { authorization: ADMIN, 'content-type': FORM },
        'grant_type=client_credentials&scope=keys%3Aread',
      );
      assert.equal(socket.servedBy, 'fast-token', path);
      const fastify = await viaFastify(
        context,
        'POST',
        path,
        { authorization: ADMIN, 'content-type': FORM },
        'grant_type=client_credentials&scope=keys%3Aread',
      );
      assert.equal(socket.status, 200);
      for (const header of COMPARED) assert.equal(socket.headers[header], fastify.headers[header], header);
      assert.equal(socket.headers['content-length'], String(Buffer.byteLength(socket.body)));
      const body = JSON.parse(socket.body);
      assert.deepEqual(Object.keys(body).sort(), Object.keys(JSON.parse(fastify.body)).sort());
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.scope, 'keys:read');
      const jwks = JSON.parse((await rawRequest(port, 'GET', '/.well-known/jwks.json')).body);
      const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
        issuer: BASE_URL,
        audience: 'api://default',
        typ: 'at+jwt',
        currentDate: new Date(context.clock.now),
      });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(payload.client_id, ADMIN_CLIENT_ID);
      assert.equal(payload.sub, ADMIN_CLIENT_ID);
      assert.equal(payload.scope, 'keys:read');
      assert.equal(payload.exp! - payload.iat!, body.expires_in);
      assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
    }
  });

  test("the default server's fast path issues the vendor management audiences too (Auth0 asks /oauth/token for {base}/api/v2/)", async () => {
    const audience = `${BASE_URL}/api/v2/`;
    const body = `grant_type=client_credentials&audience=${encodeURIComponent(audience)}`;
    const socket = await servedRequest(
      context,
      port,
      'POST',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      body,
    );
    assert.equal(socket.servedBy, 'fast-token');
    const fastify = await viaFastify(
      context,
      'POST',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      body,
    );
    assert.equal(socket.status, 200, socket.body);
    assert.equal(fastify.status, 200, fastify.body);
    const jwks = JSON.parse((await rawRequest(port, 'GET', '/.well-known/jwks.json')).body);
    const { payload } = await jwtVerify(JSON.parse(socket.body).access_token, createLocalJWKSet(jwks), {
      issuer: BASE_URL,
      audience,
      typ: 'at+jwt',
      currentDate: new Date(context.clock.now),
    });
    assert.equal(payload.client_id, ADMIN_CLIENT_ID);
  });

  const refusals: Array<[string, string, Record<string, string>, string | undefined]> = [
    [
      'a wrong client secret',
      '/oauth/token',
      { authorization: basic(ADMIN_CLIENT_ID, 'wrong'), 'content-type': FORM },
      'grant_type=client_credentials',
    ],
    [
      'an unsupported grant type',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=password',
    ],
    ['no grant type', '/oauth/token', { authorization: ADMIN, 'content-type': FORM }, 'scope=keys%3Aread'],
    [
      'a repeated parameter',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=client_credentials&grant_type=client_credentials',
    ],
    [
      'a scope the client lacks',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=client_credentials&scope=nope',
    ],
    [
      'an audience the server does not serve',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=client_credentials&audience=api%3A%2F%2Fother',
    ],
    [
      'credentials in the header and the body',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      `grant_type=client_credentials&client_id=${ADMIN_CLIENT_ID}`,
    ],
    [
      "another tenant's client",
      '/t/acme/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=client_credentials',
    ],
    [
      'an unknown authorization server (left to Fastify)',
      '/oauth2/ghost/v1/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=client_credentials',
    ],
    [
      'an unknown tenant (left to Fastify)',
      '/t/ghost/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=client_credentials',
    ],
    [
      'a JSON body (left to Fastify)',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': 'application/json' },
      '{"grant_type":"password"}',
    ],
    [
      'a form body with a charset (left to Fastify)',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': `${FORM}; charset=utf-8` },
      'grant_type=password',
    ],
    ['an empty body (left to Fastify)', '/oauth/token', { authorization: ADMIN, 'content-type': FORM }, ''],
    [
      'a body over the limit (left to Fastify)',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      `grant_type=client_credentials&pad=${'x'.repeat(70 * 1024)}`,
    ],
  ];
  for (const [name, path, headers, body] of refusals) {
    const servedBy = name.includes('(left to Fastify)') ? 'fastify' : 'fast-token';
    test(`${name}: served by ${servedBy}, the socket answer is the one Fastify renders (status, OAuth envelope, headers)`, async () => {
      const socket = await servedRequest(context, port, 'POST', path, headers, body);
      assert.equal(socket.servedBy, servedBy);
      const fastify = await viaFastify(context, 'POST', path, headers, body);
      assert.ok(socket.status >= 400 && socket.status < 500, `status ${socket.status}`);
      assert.equal(socket.status, fastify.status);
      assert.equal(withoutRequestId(socket.body), withoutRequestId(fastify.body));
      for (const header of COMPARED) assert.equal(socket.headers[header], fastify.headers[header], header);
      assert.match(String(socket.headers['x-request-id']), /.+/);
    });
  }

  test('a chunked body is left to Fastify, which answers it alike', async () => {
    const headers = { authorization: ADMIN, 'content-type': FORM, 'transfer-encoding': 'chunked' };
    const socket = await servedRequest(context, port, 'POST', '/oauth/token', headers, 'grant_type=client_credentials');
    assert.equal(socket.servedBy, 'fastify');
    assert.equal(socket.status, 200, socket.body);
    assert.equal(JSON.parse(socket.body).token_type, 'Bearer');
    for (const header of COMPARED) assert.ok(header === 'www-authenticate' || socket.headers[header], header);
  });

  test('a token answered before Fastify and one answered by Fastify carry the same per-request headers', async () => {
    const headers = { authorization: ADMIN, 'content-type': FORM, 'x-request-id': 'trace-token' };
    const form = 'grant_type=client_credentials';
    const fast = await servedRequest(context, port, 'POST', '/oauth/token', headers, form);
    const slow = await servedRequest(
      context,
      port,
      'POST',
      '/oauth/token',
      { ...headers, 'transfer-encoding': 'chunked' },
      form,
    );
    assert.deepEqual([fast.servedBy, slow.servedBy], ['fast-token', 'fastify']);
    assert.equal(fast.headers['x-request-id'], 'trace-token');
    assert.equal(slow.headers['x-request-id'], 'trace-token');
    for (const header of COMPARED) assert.equal(fast.headers[header], slow.headers[header], header);
    assert.deepEqual(Object.keys(JSON.parse(fast.body)).sort(), Object.keys(JSON.parse(slow.body)).sort());
  });

  test('a token whose body arrives once shutdown began closes its connection, as Fastify does (one rule for both)', async () => {
    const form = 'grant_type=client_credentials';
    const servedBefore = context.served.length;
    const answer = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/oauth/token',
          headers: { authorization: ADMIN, 'content-type': FORM, 'content-length': String(form.length) },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection }));
        },
      );
      outgoing.on('error', reject);
      outgoing.flushHeaders();
      // The fast path takes the request on its headers; readiness ends before the body arrives.
      const sendBody = (): void => {
        if (context.served.length === servedBefore) {
          setImmediate(sendBody);
          return;
        }
        context.readiness.ready = false;
        outgoing.end(form);
      };
      sendBody();
    });
    try {
      const fast = await answer;
      assert.equal(context.served[servedBefore], 'fast-token');
      assert.equal(fast.status, 200);
      assert.equal(fast.connection, 'close');
      const fastify = await viaFastify(
        context,
        'POST',
        '/oauth/token',
        { authorization: ADMIN, 'content-type': FORM },
        form,
      );
      assert.equal(fastify.headers.connection, 'close');
    } finally {
      context.readiness.ready = true;
    }
  });

  test('token requests answered before Fastify are counted in the request metric under their route', async () => {
    const count = async (): Promise<number> => {
      const metrics = await rawRequest(port, 'GET', '/metrics');
      const line = metrics.body
        .split('\n')
        .find(
          (l) =>
            l.startsWith('signet_http_request_duration_seconds_count{') &&
            l.includes('route="/oauth2/:serverId/v1/token"') &&
            l.includes('status="200"'),
        );
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await count();
    const headers = { authorization: ADMIN, 'content-type': FORM };
    const fast = await servedRequest(
      context,
      port,
      'POST',
      '/oauth2/default/v1/token',
      headers,
      'grant_type=client_credentials',
    );
    assert.equal(fast.servedBy, 'fast-token');
    assert.equal(await count(), before + 1);
    // Fastify records the same route label: one metric whichever path served.
    await viaFastify(context, 'POST', '/oauth2/default/v1/token', headers, 'grant_type=client_credentials');
    assert.equal(await count(), before + 2);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { RateLimitSettings } from '../../src/services/create-rate-limiter.ts';
import { createTestContext, type TestContext } from '../helpers/create-test-context.ts';
import { adminClientCredentials, apiTokenWith } from '../helpers/dialect-credentials.ts';
import { rawRequest, servedRequest, viaFastify, withoutRequestId } from '../helpers/raw-request.ts';

const SIGN = '/signet/v1/authorization-servers/default/sign';
const JSON_TYPE = 'application/json';
const COMPARED = [
  'content-type',
  'cache-control',
  'www-authenticate',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];
const BODY = JSON.stringify({ claims: { sub: 'user-1', aud: 'my-client', nonce: 'n-0S6_WzA2Mj' } });

/** The socket's answer and Fastify's (inject) to the same request are alike: status, envelope, headers. */
function assertAlike(
  socket: { status: number; headers: Record<string, unknown>; body: string },
  fastify: typeof socket,
): void {
  assert.equal(socket.status, fastify.status, `${socket.body} / ${fastify.body}`);
  assert.equal(withoutRequestId(socket.body), withoutRequestId(fastify.body));
  for (const header of COMPARED) assert.equal(socket.headers[header], fastify.headers[header], header);
  assert.equal(socket.headers['content-length'], String(Buffer.byteLength(socket.body)));
  assert.match(String(socket.headers['x-request-id']), /.+/);
}

describe('sign requests answered before Fastify', () => {
  let context: TestContext;
  let port: number;
  const tokens: Record<string, string> = {};
  before(async () => {
    context = await createTestContext();
    tokens.signer = (await apiTokenWith(context, ['tokens:sign'])).authorization;
    tokens.reader = (await apiTokenWith(context, ['keys:read'])).authorization;
    const other = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/authorization-servers',
      headers: context.admin,
      payload: { id: 'other', audiences: ['api://other'], alg: 'ES256' },
    });
    assert.equal(other.statusCode, 201, other.body);
    const restricted = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/api-tokens',
      headers: context.admin,
      payload: { name: 'restricted', scopes: ['tokens:sign'], authorizationServerIds: ['other'] },
    });
    assert.equal(restricted.statusCode, 201, restricted.body);
    tokens.restricted = `Bearer ${restricted.json().token}`;
    const acme = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/tenants',
      headers: context.admin,
      payload: { id: 'acme' },
    });
    assert.equal(acme.statusCode, 201, acme.body);
    tokens.acme = `Bearer ${acme.json().adminToken.token}`;
    const issued = await adminClientCredentials(context, '/oauth/token', {
      audience: 'urn:signet:management',
      scope: 'tokens:sign',
    });
    assert.equal(issued.statusCode, 200, issued.body);
    tokens.jwt = `Bearer ${issued.json().access_token}`;
    await context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (context.app.server.address() as { port: number }).port;
  });
  after(() => context.close());

  test('a signature over a socket, with an API token or a management access token, on every tenant path: served before Fastify, verifies against the JWKS, answered as Fastify answers', async () => {
    const cases: Array<[string, string, string]> = [
      ['API token', SIGN, tokens.signer!],
      ['management access token', SIGN, tokens.jwt!],
      ['API token, /t/default path', `/t/default${SIGN}`, tokens.signer!],
      ['restricted to its server', '/signet/v1/authorization-servers/other/sign', tokens.restricted!],
    ];
    for (const [name, path, authorization] of cases) {
      const headers = { authorization, 'content-type': JSON_TYPE };
      const socket = await servedRequest(context, port, 'POST', path, headers, BODY);
      assert.equal(socket.servedBy, 'fast-sign', name);
      assert.equal(socket.status, 200, `${name}: ${socket.body}`);
      const fastify = await viaFastify(context, 'POST', path, headers, BODY);
      assert.equal(fastify.status, 200, fastify.body);
      for (const header of COMPARED)
        assert.equal(socket.headers[header], fastify.headers[header], `${name}: ${header}`);
      const body = JSON.parse(socket.body);
      assert.deepEqual(Object.keys(body), Object.keys(JSON.parse(fastify.body)), 'same members in the same order');
      const serverId = path.includes('/other/') ? 'other' : 'default';
      const jwks = JSON.parse((await rawRequest(port, 'GET', `/oauth2/${serverId}/v1/keys`)).body);
      const { payload, protectedHeader } = await jwtVerify(body.jwt, createLocalJWKSet(jwks), {
        // The issuer as the request addressed the tenant, as Fastify's route has it.
        issuer: decodeJwt(JSON.parse(fastify.body).jwt).iss!,
        audience: 'my-client',
        currentDate: new Date(context.clock.now),
      });
      assert.deepEqual(Object.keys(protectedHeader).sort(), ['alg', 'kid', 'typ']);
      assert.equal(protectedHeader.kid, body.kid);
      const base = path.startsWith('/t/default') ? 'http://signet.test/t/default' : 'http://signet.test';
      assert.equal(payload.iss, serverId === 'default' ? base : `${base}/oauth2/other`);
      assert.equal(payload.sub, 'user-1');
      assert.equal(payload.nonce, 'n-0S6_WzA2Mj');
      assert.equal(new Date(body.expiresAt).getTime() / 1000, payload.exp);
      assert.ok(new Date(body.verifiableUntil) >= new Date(body.expiresAt));
    }
  });

  const refusals: Array<[string, string, Record<string, string>, string]> = [
    ['claims not an object', SIGN, {}, JSON.stringify({ claims: 'sub=me' })],
    ['claims missing', SIGN, {}, JSON.stringify({ expiresIn: 60 })],
    ['a header member besides typ', SIGN, {}, JSON.stringify({ claims: {}, header: { kid: 'x' } })],
    ['expiresIn as a string', SIGN, {}, JSON.stringify({ claims: {}, expiresIn: '60' })],
    ['a typ that is not a token', SIGN, {}, JSON.stringify({ claims: {}, typ: 'a b' })],
    ['an unknown alg', SIGN, {}, JSON.stringify({ claims: {}, alg: 'none' })],
    ['a body that is not JSON', SIGN, {}, '{"claims":'],
    ['a body that is JSON but not an object', SIGN, {}, '[1,2]'],
    ['a prototype-poisoning body', SIGN, {}, '{"claims":{},"__proto__":{"x":1}}'],
    ['a lifetime over maxTokenLifetimeSeconds', SIGN, {}, JSON.stringify({ claims: {}, expiresIn: 31_536_000 })],
    ['a non-numeric exp', SIGN, {}, JSON.stringify({ claims: { exp: 'tomorrow' } })],
    ['nbf after exp', SIGN, {}, JSON.stringify({ claims: { nbf: 2_000_000_000, exp: 1_900_000_000 } })],
    ['a foreign iss', SIGN, {}, JSON.stringify({ claims: { iss: 'https://elsewhere.example' } })],
    ['a management audience', SIGN, {}, JSON.stringify({ claims: { aud: 'urn:signet:management' } })],
    ['no credential (401)', SIGN, { authorization: '' }, BODY],
    ['a bad API token (401)', SIGN, { authorization: 'Bearer sgt_nope' }, BODY],
    ['a forged access token (401)', SIGN, { authorization: 'Bearer aaa.bbb.ccc' }, BODY],
    ['a credential without tokens:sign (403)', SIGN, { authorization: 'reader' }, BODY],
    ["another tenant's credential (403)", SIGN, { authorization: 'acme' }, BODY],
    ['a credential restricted to another server (403)', SIGN, { authorization: 'restricted' }, BODY],
    ['a bad body and no credential: the body is checked first, as Fastify does', SIGN, { authorization: '' }, '{}'],
    // Left to Fastify.
    ['an unknown tenant (left to Fastify)', `/t/ghost${SIGN}`, {}, BODY],
    ['an unknown authorization server (left to Fastify)', '/signet/v1/authorization-servers/ghost/sign', {}, BODY],
    ['a text/plain body (left to Fastify)', SIGN, { 'content-type': 'text/plain' }, BODY],
    ['a form body (left to Fastify)', SIGN, { 'content-type': 'application/x-www-form-urlencoded' }, 'claims=x'],
    ['an empty body (left to Fastify)', SIGN, {}, ''],
    ['a body over the limit (left to Fastify)', SIGN, {}, JSON.stringify({ claims: { pad: 'x'.repeat(70 * 1024) } })],
  ];
  for (const [name, path, given, body] of refusals) {
    const servedBy = name.includes('(left to Fastify)') ? 'fastify' : 'fast-sign';
    test(`${name}: served by ${servedBy}, the socket answer is the one Fastify renders (status, native envelope, headers)`, async () => {
      const authorization =
        given.authorization === undefined ? tokens.signer! : (tokens[given.authorization] ?? given.authorization);
      const headers: Record<string, string> = { 'content-type': given['content-type'] ?? JSON_TYPE };
      if (authorization !== '') headers.authorization = authorization;
      const socket = await servedRequest(context, port, 'POST', path, headers, body);
      assert.equal(socket.servedBy, servedBy);
      assert.ok(socket.status >= 400 && socket.status < 500, `status ${socket.status}: ${socket.body}`);
      assert.equal(JSON.parse(socket.body).error.requestId, socket.headers['x-request-id']);
      assertAlike(socket, await viaFastify(context, 'POST', path, headers, body));
    });
  }

  test('the lifetime refusal names both values; the 401 carries the Bearer challenge', async () => {
    const lifetime = await servedRequest(
      context,
      port,
      'POST',
      SIGN,
      { authorization: tokens.signer!, 'content-type': JSON_TYPE },
      JSON.stringify({ claims: {}, expiresIn: 31_536_000 }),
    );
    assert.equal(lifetime.servedBy, 'fast-sign');
    assert.equal(lifetime.status, 400);
    const { error } = JSON.parse(lifetime.body);
    assert.equal(error.code, 'ERR_TOKEN_LIFETIME_TOO_LONG');
    assert.ok(JSON.stringify(error.details).includes('31536000'), lifetime.body);
    const unauthenticated = await servedRequest(context, port, 'POST', SIGN, { 'content-type': JSON_TYPE }, BODY);
    assert.equal(unauthenticated.servedBy, 'fast-sign');
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.headers['www-authenticate'], 'Bearer realm="signet"');
  });

  for (const [name, method, path, headers] of [
    ['HEAD', 'HEAD', SIGN, {}],
    ['GET', 'GET', SIGN, {}],
    ['a JSON content type with a charset', 'POST', SIGN, { 'content-type': `${JSON_TYPE}; charset=utf-8` }],
    ['a chunked body', 'POST', SIGN, { 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked' }],
    [
      'a percent-encoded path',
      'POST',
      '/signet/v1/authorization-servers/%64efault/sign',
      { 'content-type': JSON_TYPE },
    ],
  ] as const) {
    test(`${name}: left to Fastify, which answers it as it answers the same request through inject`, async () => {
      const sent = { authorization: tokens.signer!, ...headers };
      const body = method === 'POST' ? BODY : undefined;
      const socket = await servedRequest(context, port, method, path, sent, body);
      assert.equal(socket.servedBy, 'fastify');
      const fastify = await viaFastify(context, method, path, sent, body);
      assert.equal(socket.status, fastify.status);
      for (const header of COMPARED) assert.equal(socket.headers[header], fastify.headers[header], header);
      if (method === 'POST') {
        assert.equal(socket.status, 200, socket.body);
        assert.deepEqual(Object.keys(JSON.parse(socket.body)), Object.keys(JSON.parse(fastify.body)));
      } else if (method === 'GET') assert.equal(withoutRequestId(socket.body), withoutRequestId(fastify.body));
    });
  }

  test('signatures answered before Fastify are counted in the request metric under their route and in the signature metric, as Fastify counts them', async () => {
    const metrics = async () => (await rawRequest(port, 'GET', '/metrics')).body.split('\n');
    const tokenId = (await context.services.credentials.listApiTokens('default')).find(
      (token) => token.name === 'scopes tokens:sign',
    )!.id;
    const count = async (): Promise<{ requests: number; signatures: number }> => {
      const lines = await metrics();
      const value = (match: (line: string) => boolean) => {
        const line = lines.find(match);
        return line ? Number(line.split(' ').pop()) : 0;
      };
      return {
        requests: value(
          (l) =>
            l.startsWith('signet_http_request_duration_seconds_count{') &&
            l.includes('route="/signet/v1/authorization-servers/:authorizationServerId/sign"') &&
            l.includes('status="200"'),
        ),
        signatures: value(
          (l) =>
            l.startsWith('signet_signatures_total{') && l.includes(`credential="${tokenId}"`) && l.includes('native'),
        ),
      };
    };
    const headers = { authorization: tokens.signer!, 'content-type': JSON_TYPE };
    const before = await count();
    const fast = await servedRequest(context, port, 'POST', SIGN, headers, BODY);
    assert.equal(fast.servedBy, 'fast-sign');
    assert.deepEqual(await count(), { requests: before.requests + 1, signatures: before.signatures + 1 });
    await viaFastify(context, 'POST', SIGN, headers, BODY);
    assert.deepEqual(await count(), { requests: before.requests + 2, signatures: before.signatures + 2 });
  });
});

describe('sign requests over the management rate limit', () => {
  let context: TestContext;
  let port: number;
  const LARGE = 1_000_000;
  const limits: RateLimitSettings = {
    enabled: true,
    perMinute: {
      managementCredential: 2,
      managementAddress: LARGE,
      tokenClient: LARGE,
      tokenAddress: LARGE,
      authFailureClient: LARGE,
      authFailureAddress: LARGE,
    },
  };
  before(async () => {
    context = await createTestContext({ rateLimits: limits });
    await context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (context.app.server.address() as { port: number }).port;
  });
  after(() => context.close());

  test('a credential over its limit gets the 429 Fastify sends, from the same buckets, on both paths', async () => {
    const signer = await apiTokenWith(context, ['tokens:sign']);
    const headers = { authorization: signer.authorization, 'content-type': JSON_TYPE };
    for (let i = 0; i < 2; i += 1) {
      const allowed = await servedRequest(context, port, 'POST', SIGN, headers, BODY);
      assert.equal(allowed.servedBy, 'fast-sign');
      assert.equal(allowed.status, 200, allowed.body);
    }
    const socket = await servedRequest(context, port, 'POST', SIGN, headers, BODY);
    assert.equal(socket.servedBy, 'fast-sign');
    assert.equal(socket.status, 429, socket.body);
    assert.equal(JSON.parse(socket.body).error.code, 'ERR_RATE_LIMITED');
    assert.equal(socket.headers['x-ratelimit-limit'], '2');
    assert.match(String(socket.headers['retry-after']), /^\d+$/);
    assertAlike(socket, await viaFastify(context, 'POST', SIGN, headers, BODY));
  });
});

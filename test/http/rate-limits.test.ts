import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  createTestContext,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { clientWith } from '../helpers/dialect-credentials.ts';
import { servedRequest, viaFastify } from '../helpers/raw-request.ts';
import type { RateLimitSettings } from '../../src/services/create-rate-limiter.ts';

const MINUTE = 60_000;
const FORM = 'application/x-www-form-urlencoded';
const LARGE = 1_000_000;

function limits(perMinute: Partial<RateLimitSettings['perMinute']>): RateLimitSettings {
  return {
    enabled: true,
    perMinute: {
      managementCredential: LARGE,
      managementAddress: LARGE,
      tokenClient: LARGE,
      tokenAddress: LARGE,
      authFailureClient: LARGE,
      authFailureAddress: LARGE,
      ...perMinute,
    },
  };
}

function tokenForm(clientId: string, clientSecret: string): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  }).toString();
}

async function listen(context: TestContext): Promise<number> {
  await context.app.listen({ port: 0, host: '127.0.0.1' });
  return (context.app.server.address() as { port: number }).port;
}

/** Asserts `Retry-After` and the surface's three headers for a limit of `limit` a minute refused at `now`. */
function assertRateHeaders(
  headers: Record<string, unknown>,
  names: readonly [string, string, string],
  limit: number,
  now: number,
): void {
  const interval = MINUTE / limit;
  assert.equal(headers['retry-after'], String(Math.ceil(interval / 1000)));
  assert.equal(headers[names[0]], String(limit));
  assert.equal(headers[names[1]], '0');
  // The reset is when the next request passes, in epoch seconds (the Okta SDK waits until then).
  assert.equal(headers[names[2]], String(Math.ceil((now + interval) / 1000)));
}

const OKTA_HEADERS = ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'] as const;
const X_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'] as const;

describe('rate limits on management routes', () => {
  const PER_CREDENTIAL = 3;
  let context: TestContext;
  before(async () => {
    context = await createTestContext({
      rateLimits: limits({ managementCredential: PER_CREDENTIAL, managementAddress: 8 }),
    });
  });
  after(() => context.close());

  const surfaces = [
    {
      name: 'native',
      url: '/signet/v1/authorization-servers',
      headers: X_HEADERS,
      body: (body: any) => {
        assert.equal(body.error.code, 'ERR_RATE_LIMITED');
        assert.equal(body.error.details.limit, PER_CREDENTIAL);
      },
    },
    {
      name: 'okta',
      url: '/api/v1/authorizationServers/default/credentials/keys',
      headers: OKTA_HEADERS,
      body: (body: any) => {
        assert.equal(body.errorCode, 'E0000047');
        assert.equal(body.errorSummary, 'API call exceeded rate limit due to too many requests.');
        assert.equal(body.errorLink, 'E0000047');
        assert.deepEqual(body.errorCauses, []);
        assert.match(body.errorId, /^oae/);
      },
    },
    {
      name: 'auth0',
      url: '/api/v2/keys/signing',
      headers: X_HEADERS,
      body: (body: any) => {
        assert.equal(body.statusCode, 429);
        assert.equal(body.error, 'Too Many Requests');
        assert.equal(body.errorCode, 'too_many_requests');
        assert.equal(typeof body.message, 'string');
      },
    },
    {
      name: 'onelogin',
      url: '/oidc/2/signing_keys',
      headers: X_HEADERS,
      body: (body: any) => {
        assert.equal(body.statusCode, 429);
        assert.equal(body.name, 'TooManyRequestsError');
        assert.equal(typeof body.message, 'string');
      },
    },
  ];

  for (const surface of surfaces)
    test(`${surface.name}: over the per-credential limit answers 429 in its envelope with its headers and Retry-After`, async () => {
      context.advance(MINUTE);
      for (let i = 0; i < PER_CREDENTIAL; i += 1) {
        const ok = await context.app.inject({ method: 'GET', url: surface.url, headers: context.admin });
        assert.notEqual(ok.statusCode, 429, `call ${i + 1}`);
      }
      const refused = await context.app.inject({ method: 'GET', url: surface.url, headers: context.admin });
      assert.equal(refused.statusCode, 429);
      assert.match(String(refused.headers['content-type']), /^application\/json/);
      assertRateHeaders(refused.headers, surface.headers, PER_CREDENTIAL, context.clock.now);
      surface.body(refused.json());
      // The refusal is for this credential: another one from the same address still passes.
      const other = await context.app.inject({
        method: 'GET',
        url: surface.url,
        headers: { authorization: 'Bearer sgt_some-other-token' },
      });
      assert.equal(other.statusCode, 401);
      // After the interval one more call passes.
      context.advance(MINUTE / PER_CREDENTIAL);
      const later = await context.app.inject({ method: 'GET', url: surface.url, headers: context.admin });
      assert.notEqual(later.statusCode, 429);
    });

  test('the per-address limit holds whatever credentials the address presents; another address is not affected', async () => {
    context.advance(MINUTE);
    const from = (remoteAddress: string, token: string) =>
      context.app.inject({
        method: 'GET',
        url: '/signet/v1/authorization-servers',
        remoteAddress,
        headers: { authorization: `Bearer ${token}` },
      });
    for (let i = 0; i < 8; i += 1) assert.equal((await from('192.0.2.1', `sgt_guess-${i}`)).statusCode, 401);
    const refused = await from('192.0.2.1', 'sgt_guess-next');
    assert.equal(refused.statusCode, 429);
    assertRateHeaders(refused.headers, X_HEADERS, 8, context.clock.now);
    assert.equal((await from('192.0.2.2', 'sgt_guess-0')).statusCode, 401);
  });
});

describe('JWKS and discovery are never starved by management traffic', () => {
  let context: TestContext;
  let port: number;
  before(async () => {
    context = await createTestContext({ rateLimits: limits({ managementAddress: 2, managementCredential: 2 }) });
    port = await listen(context);
  });
  after(() => context.close());

  test('JWKS and discovery answer 200 on every surface, fast path and Fastify, while management is at 429', async () => {
    for (let i = 0; i < 2; i += 1)
      await context.app.inject({ method: 'GET', url: '/signet/v1/authorization-servers', headers: context.admin });
    const refused = await context.app.inject({
      method: 'GET',
      url: '/signet/v1/authorization-servers',
      headers: context.admin,
    });
    assert.equal(refused.statusCode, 429);
    const jwks = await servedRequest(context, port, 'GET', '/.well-known/jwks.json');
    assert.equal(jwks.servedBy, 'fast-jwks');
    assert.equal(jwks.status, 200);
    for (const url of [
      '/.well-known/jwks.json',
      '/.well-known/openid-configuration',
      '/oauth2/default/v1/keys',
      '/oauth2/default/.well-known/openid-configuration',
      '/oidc/2/certs',
      '/oidc/2/.well-known/openid-configuration',
    ]) {
      for (let i = 0; i < 5; i += 1) {
        const response = await context.app.inject({ method: 'GET', url, headers: context.admin });
        assert.equal(response.statusCode, 200, url);
      }
    }
  });
});

describe('rate limits on token endpoints', () => {
  let context: TestContext;
  let port: number;
  before(async () => {
    context = await createTestContext({
      rateLimits: limits({ tokenClient: 2, authFailureClient: 3, authFailureAddress: 5, tokenAddress: 40 }),
    });
    port = await listen(context);
  });
  after(() => context.close());

  test('tokens per client: the fast path and Fastify share one bucket and answer the same 429', async () => {
    context.advance(MINUTE);
    const form = tokenForm(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET);
    const first = await servedRequest(context, port, 'POST', '/oauth/token', { 'content-type': FORM }, form);
    assert.equal(first.servedBy, 'fast-token');
    assert.equal(first.status, 200);
    assert.equal(
      (
        await viaFastify(
          context,
          'POST',
          '/oauth/token',
          { 'content-type': 'application/json' },
          JSON.stringify(Object.fromEntries(new URLSearchParams(form))),
        )
      ).status,
      200,
    );
    const fast = await servedRequest(context, port, 'POST', '/oauth/token', { 'content-type': FORM }, form);
    assert.equal(fast.servedBy, 'fast-token');
    assert.equal(fast.status, 429);
    assert.deepEqual(JSON.parse(fast.body).error, 'temporarily_unavailable');
    assertRateHeaders(fast.headers, X_HEADERS, 2, context.clock.now);
    assert.equal(fast.headers['cache-control'], 'no-store');
    const slow = await viaFastify(context, 'POST', '/oauth/token', { 'content-type': FORM }, form);
    assert.equal(slow.status, 429);
    assert.deepEqual(JSON.parse(slow.body), { ...JSON.parse(fast.body) });
    assertRateHeaders(slow.headers, X_HEADERS, 2, context.clock.now);
  });

  test('every token endpoint answers 429 in its own envelope', async () => {
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(ADMIN_CLIENT_ID)}:${encodeURIComponent(ADMIN_CLIENT_SECRET).replace(/%20/g, '+')}`).toString('base64')}`;
    const endpoints = [
      { url: '/oauth2/v1/token', check: (body: any) => assert.equal(body.error, 'temporarily_unavailable') },
      { url: '/oidc/2/token', check: (body: any) => assert.equal(body.error, 'temporarily_unavailable') },
      {
        url: '/auth/oauth2/v2/token',
        check: (body: any) => {
          assert.equal(body.error, true);
          assert.equal(body.code, 429);
          assert.equal(body.type, 'too many requests');
        },
      },
    ];
    for (const endpoint of endpoints) {
      context.advance(MINUTE);
      const call = () =>
        context.app.inject({
          method: 'POST',
          url: endpoint.url,
          headers: { authorization: basic, 'content-type': FORM },
          payload: 'grant_type=client_credentials&scope=okta.authorizationServers.read',
        });
      for (let i = 0; i < 2; i += 1) assert.notEqual((await call()).statusCode, 429, endpoint.url);
      const refused = await call();
      assert.equal(refused.statusCode, 429, endpoint.url);
      assertRateHeaders(refused.headers, X_HEADERS, 2, context.clock.now);
      endpoint.check(refused.json());
    }
  });

  test('brute-force guard: failed authentications block the client id, even with the right secret, but not other clients', async () => {
    context.advance(MINUTE);
    const other = await clientWith(context, ['keys:read']);
    for (let i = 0; i < 3; i += 1) {
      const wrong = await servedRequest(
        context,
        port,
        'POST',
        '/oauth/token',
        { 'content-type': FORM },
        tokenForm(ADMIN_CLIENT_ID, `wrong-${i}`),
      );
      assert.equal(wrong.status, 401);
    }
    const right = await servedRequest(
      context,
      port,
      'POST',
      '/oauth/token',
      { 'content-type': FORM },
      tokenForm(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
    );
    assert.equal(right.servedBy, 'fast-token');
    assert.equal(right.status, 429);
    assertRateHeaders(right.headers, X_HEADERS, 3, context.clock.now);
    const viaOkta = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v1/token',
      headers: { 'content-type': FORM },
      payload: tokenForm(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
    });
    assert.equal(viaOkta.statusCode, 429, 'one guard for every token endpoint');
    const ok = await servedRequest(
      context,
      port,
      'POST',
      '/oauth/token',
      { 'content-type': FORM },
      tokenForm(other.clientId, other.clientSecret),
    );
    assert.equal(ok.status, 200);
    context.advance(MINUTE / 3);
    const recovered = await servedRequest(
      context,
      port,
      'POST',
      '/oauth/token',
      { 'content-type': FORM },
      tokenForm(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
    );
    assert.equal(recovered.status, 200);
  });

  test('brute-force guard per address: failures with many client ids block that address, not another one', async () => {
    context.advance(MINUTE);
    const post = (remoteAddress: string, clientId: string, secret: string) =>
      context.app.inject({
        method: 'POST',
        url: '/oauth/token',
        remoteAddress,
        headers: { 'content-type': FORM },
        payload: tokenForm(clientId, secret),
      });
    for (let i = 0; i < 5; i += 1) assert.equal((await post('198.51.100.7', `client-${i}`, 'x')).statusCode, 401);
    const blocked = await post('198.51.100.7', ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET);
    assert.equal(blocked.statusCode, 429);
    assertRateHeaders(blocked.headers, X_HEADERS, 5, context.clock.now);
    assert.equal((await post('198.51.100.8', ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET)).statusCode, 200);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  createTestContext,
  defaultKeySetId,
  type TestContext,
} from '../helpers/create-test-context.ts';

describe('native management API: credentials, tenants, audit, errors', () => {
  let context: TestContext;
  before(async () => {
    context = await createTestContext();
  });
  after(() => context.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = context.admin,
  ) => context.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  test('a management call without a credential is 401 with WWW-Authenticate; a bad token is 401', async () => {
    const none = await call('GET', '/signet/v1/key-sets', undefined, {});
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, 'ERR_UNAUTHENTICATED');
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assert.equal(
      (await call('GET', '/signet/v1/key-sets', undefined, { authorization: 'Bearer sgt_wrong' })).statusCode,
      401,
    );
    assert.equal(
      (await call('GET', '/signet/v1/key-sets', undefined, { authorization: 'Bearer a.b.c' })).statusCode,
      401,
    );
    assert.equal((await call('GET', '/signet/v1/key-sets', undefined, { authorization: 'Basic abc' })).statusCode, 401);
  });

  test('API tokens: create with scopes (secret shown once), enforce the scopes, list without secrets, delete', async () => {
    const created = await call('POST', '/signet/v1/api-tokens', { name: 'reader', scopes: ['keys:read'] });
    assert.equal(created.statusCode, 201);
    const { token, id } = created.json();
    assert.match(token, /^sgt_/);
    const reader = { authorization: `Bearer ${token}` };
    assert.equal((await call('GET', '/signet/v1/key-sets', undefined, reader)).statusCode, 200);
    const denied = await call(
      'POST',
      `/signet/v1/key-sets/${defaultKeySetId(context)}/rotate`,
      { force: true },
      reader,
    );
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.details.requiredScope, 'keys:write');
    const list = await call('GET', '/signet/v1/api-tokens');
    assert.ok(!list.body.includes(token));
    assert.ok(list.json().items.some((t: { id: string }) => t.id === id));
    assert.equal((await call('DELETE', `/signet/v1/api-tokens/${id}`)).statusCode, 204);
    assert.equal((await call('GET', '/signet/v1/key-sets', undefined, reader)).statusCode, 401);
    assert.equal((await call('DELETE', `/signet/v1/api-tokens/${id}`)).statusCode, 404);
  });

  test('API clients: create, get a management token from the token endpoint, use it, delete the client', async () => {
    const created = (
      await call('POST', '/signet/v1/clients', { name: 'ci', scopes: ['keys:read', 'audit:read'] })
    ).json();
    assert.match(created.clientSecret, /^sgs_/);
    const tokenResponse = await context.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: created.clientId,
        client_secret: created.clientSecret,
        audience: 'urn:signet:management',
      }).toString(),
    });
    assert.equal(tokenResponse.statusCode, 200, tokenResponse.body);
    const bearer = { authorization: `Bearer ${tokenResponse.json().access_token}` };
    assert.equal((await call('GET', '/signet/v1/key-sets', undefined, bearer)).statusCode, 200);
    assert.equal((await call('GET', '/signet/v1/clients', undefined, bearer)).statusCode, 403);
    const list = await call('GET', '/signet/v1/clients');
    assert.ok(!list.body.includes(created.clientSecret));
    assert.equal((await call('DELETE', `/signet/v1/clients/${created.clientId}`)).statusCode, 204);
    assert.equal(
      (await call('GET', '/signet/v1/key-sets', undefined, bearer)).statusCode,
      401,
      "a deleted client's tokens stop working",
    );
  });

  test('a token for the default audience is not a management credential', async () => {
    const tokenResponse = await context.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: ADMIN_CLIENT_ID,
        client_secret: ADMIN_CLIENT_SECRET,
      }).toString(),
    });
    const response = await call('GET', '/signet/v1/key-sets', undefined, {
      authorization: `Bearer ${tokenResponse.json().access_token}`,
    });
    assert.equal(response.statusCode, 401);
  });

  test('tenants: the root admin creates a tenant; its credential sees only its own keys', async () => {
    const created = await call('POST', '/signet/v1/tenants', { id: 'acme', hostNames: ['Login.Acme.Test'] });
    assert.equal(created.statusCode, 201, created.body);
    const acmeToken = { authorization: `Bearer ${created.json().adminToken.token}` };
    assert.deepEqual(created.json().tenant.hostNames, ['login.acme.test']);

    const acmeKeySets = await call('GET', '/t/acme/signet/v1/key-sets', undefined, acmeToken);
    assert.equal(acmeKeySets.statusCode, 200);
    assert.equal(acmeKeySets.json().items.length, 1);
    const acmeKeySetId = acmeKeySets.json().items[0].id;

    // The acme credential on the root tenant, and the root credential on acme, are refused.
    assert.equal((await call('GET', '/signet/v1/key-sets', undefined, acmeToken)).statusCode, 403);
    assert.equal((await call('GET', '/t/acme/signet/v1/key-sets')).statusCode, 403);
    // Another tenant's key set id through one's own tenant is simply not found.
    assert.equal((await call('GET', `/signet/v1/key-sets/${acmeKeySetId}`)).statusCode, 404);
    assert.equal(
      (await call('POST', `/t/acme/signet/v1/key-sets/${defaultKeySetId(context)}/rotate`, { force: true }, acmeToken))
        .statusCode,
      404,
    );
    // A tenant credential cannot manage tenants.
    assert.equal((await call('POST', '/t/acme/signet/v1/tenants', { id: 'evil' }, acmeToken)).statusCode, 403);

    const byPath = (await call('GET', '/t/acme/.well-known/openid-configuration', undefined, {})).json();
    assert.equal(byPath.issuer, 'http://signet.test/t/acme');
    const byHost = (
      await call('GET', '/.well-known/openid-configuration', undefined, { host: 'login.acme.test' })
    ).json();
    assert.equal(byHost.issuer, 'http://login.acme.test');
    const acmeJwks = (await call('GET', '/t/acme/.well-known/jwks.json', undefined, {}))
      .json()
      .keys.map((k: { kid: string }) => k.kid);
    const rootJwks = (await call('GET', '/.well-known/jwks.json', undefined, {}))
      .json()
      .keys.map((k: { kid: string }) => k.kid);
    assert.equal(acmeJwks.filter((kid: string) => rootJwks.includes(kid)).length, 0);

    assert.equal((await call('POST', '/signet/v1/tenants', { id: 'acme' })).statusCode, 409);
    assert.equal(
      (await call('POST', '/signet/v1/tenants', { id: 'other', hostNames: ['login.acme.test'] })).statusCode,
      409,
    );
    assert.equal(
      (await call('GET', '/signet/v1/tenants/other')).statusCode,
      404,
      'a refused tenant leaves nothing behind',
    );
    assert.equal((await call('GET', '/t/other/.well-known/jwks.json', undefined, {})).statusCode, 404);
    assert.equal((await call('POST', '/signet/v1/tenants', { id: 'Bad Id' })).statusCode, 400);
    assert.ok((await call('GET', '/signet/v1/tenants')).json().items.some((t: { id: string }) => t.id === 'acme'));
  });

  test('PATCH /tenants/{id} moves a host claim: the old host falls back to the root tenant, the new one serves the tenant', async () => {
    await call('POST', '/signet/v1/tenants', { id: 'globex', hostNames: ['old.globex.test'] });
    const patched = await call('PATCH', '/signet/v1/tenants/globex', { hostNames: ['new.globex.test'] });
    assert.equal(patched.statusCode, 200, patched.body);
    const issuerFor = async (host: string) =>
      (await call('GET', '/.well-known/openid-configuration', undefined, { host })).json().issuer;
    assert.equal(await issuerFor('new.globex.test'), 'http://new.globex.test');
    assert.equal(await issuerFor('old.globex.test'), 'http://signet.test');
    assert.equal((await call('PATCH', '/signet/v1/tenants/ghost', { displayName: 'x' })).statusCode, 404);
  });

  test('authorization servers: create with audiences; tokens for it carry its issuer and audience', async () => {
    const created = await call('POST', '/signet/v1/authorization-servers', {
      id: 'payments',
      audiences: ['api://payments'],
      alg: 'ES256',
    });
    assert.equal(created.statusCode, 201, created.body);
    const discovery = (await call('GET', '/oauth2/payments/.well-known/openid-configuration', undefined, {})).json();
    assert.equal(discovery.issuer, 'http://signet.test/oauth2/payments');
    const token = await context.app.inject({
      method: 'POST',
      url: '/oauth2/payments/v1/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: ADMIN_CLIENT_ID,
        client_secret: ADMIN_CLIENT_SECRET,
      }).toString(),
    });
    assert.equal(token.statusCode, 200, token.body);
    const payload = JSON.parse(Buffer.from(token.json().access_token.split('.')[1], 'base64url').toString());
    assert.equal(payload.aud, 'api://payments');
    assert.equal(payload.iss, 'http://signet.test/oauth2/payments');
    assert.equal(
      (await call('POST', '/signet/v1/authorization-servers', { id: 'payments', audiences: ['x'] })).statusCode,
      409,
    );
    const patched = await call('PATCH', '/signet/v1/authorization-servers/payments', {
      audiences: ['api://payments', 'api://billing'],
    });
    assert.deepEqual(patched.json().audiences, ['api://payments', 'api://billing']);
    const read = (await call('GET', '/signet/v1/authorization-servers/payments')).json();
    assert.equal(read.signingKeySetId, created.json().signingKeySetId);
    const ids = (await call('GET', '/signet/v1/authorization-servers')).json().items.map((s: { id: string }) => s.id);
    assert.ok(ids.includes('default') && ids.includes('payments'));
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { name: 'x' }],
    ] as const) {
      const missing = await call(method, '/signet/v1/authorization-servers/ghost', payload);
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'ERR_AUTH_SERVER_NOT_FOUND');
    }
    assert.equal(
      (await call('POST', '/signet/v1/authorization-servers', { id: 'bad', audiences: [] })).statusCode,
      400,
    );
    assert.equal(
      (
        await call('POST', '/signet/v1/authorization-servers', {
          id: 'bad',
          audiences: ['x'],
          accessTokenLifetimeSeconds: 0,
        })
      ).statusCode,
      400,
    );
    assert.equal((await call('GET', '/signet/v1/tenants/default')).json().id, 'default');
  });

  test('bad input gets a 4xx in the native envelope and writes nothing', async () => {
    const before = (await call('GET', '/signet/v1/audit-events?limit=1000')).json().items.length;
    const cases: [string, string, string | undefined, Record<string, string>, number][] = [
      ['POST', '/signet/v1/clients', '{"name": "x",', { 'content-type': 'application/json' }, 400],
      [
        'POST',
        '/signet/v1/clients',
        JSON.stringify({ name: 'x', scopes: 'keys:read' }),
        { 'content-type': 'application/json' },
        400,
      ],
      [
        'POST',
        '/signet/v1/clients',
        JSON.stringify({ name: 'x', scopes: ['keys:read'], extra: true }),
        { 'content-type': 'application/json' },
        400,
      ],
      [
        'POST',
        '/signet/v1/clients',
        JSON.stringify({ name: 'x', scopes: ['bad scope'] }),
        { 'content-type': 'application/json' },
        400,
      ],
      [
        'POST',
        '/signet/v1/clients',
        JSON.stringify({ name: 'x', scopes: ['tenants:write'] }),
        { 'content-type': 'application/json' },
        201,
      ],
      [
        'POST',
        '/signet/v1/clients',
        JSON.stringify({ name: 'x'.repeat(100_000), scopes: [] }),
        { 'content-type': 'application/json' },
        413,
      ],
      ['POST', '/signet/v1/clients', 'name=x', { 'content-type': 'text/plain' }, 415],
      ['GET', '/signet/v1/audit-events?since=yesterday', undefined, {}, 400],
      ['GET', '/signet/v1/audit-events?limit=0', undefined, {}, 400],
      ['GET', '/signet/v1/no-such-route', undefined, {}, 404],
    ];
    let created = 0;
    for (const [method, url, payload, headers, status] of cases) {
      const response = await context.app.inject({
        method: method as 'GET',
        url,
        headers: { ...context.admin, ...headers },
        ...(payload !== undefined ? { payload } : {}),
      });
      assert.equal(
        response.statusCode,
        status,
        `${method} ${url} ${payload?.slice(0, 60)}: ${response.body.slice(0, 200)}`,
      );
      if (status >= 400) {
        assert.equal(typeof response.json().error.code, 'string');
        assert.equal(typeof response.json().error.message, 'string');
        assert.ok(!response.body.includes('    at '), 'no stack trace');
      } else created += 1;
    }
    const afterCount = (await call('GET', '/signet/v1/audit-events?limit=1000')).json().items.length;
    assert.equal(afterCount - before, created, 'only the accepted request wrote an audit event');
  });

  test('audit events filter by key set, kid, action and time, newest first, with a cursor', async () => {
    const keySetId = defaultKeySetId(context);
    const rotated = (await call('POST', `/signet/v1/key-sets/${keySetId}/rotate`, { force: true })).json();
    const kid = rotated.keySet.activeKid;
    const byKid = (await call('GET', `/signet/v1/audit-events?kid=${kid}`)).json().items;
    assert.ok(byKid.length >= 2);
    assert.ok(byKid.every((e: { kid: string }) => e.kid === kid));
    const byAction = (await call('GET', '/signet/v1/audit-events?action=key.activated')).json().items;
    assert.ok(byAction.every((e: { action: string }) => e.action === 'key.activated'));
    const page1 = (await call('GET', '/signet/v1/audit-events?limit=2')).json();
    assert.equal(page1.items.length, 2);
    assert.ok(page1.items[0].id > page1.items[1].id);
    const page2 = (await call('GET', `/signet/v1/audit-events?limit=2&before=${page1.nextBefore}`)).json();
    assert.ok(page2.items[0].id < page1.items[1].id);
    const future = new Date(context.clock.now + 1000).toISOString();
    assert.equal((await call('GET', `/signet/v1/audit-events?since=${future}`)).json().items.length, 0);
  });

  test('GET /signet/v1/openapi.json is an OpenAPI 3.1 document of the native routes', async () => {
    const doc = (await call('GET', '/signet/v1/openapi.json', undefined, {})).json();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/signet/v1/key-sets/{keySetId}/rotate'].post);
    assert.equal(doc.paths['/signet/v1/key-sets/{keySetId}/rotate'].post['x-required-scope'], 'keys:write');
    assert.ok(doc.paths['/signet/v1/audit-events'].get.parameters.some((p: { name: string }) => p.name === 'kid'));
  });

  test('ops: /healthz, /readyz and /metrics with lifecycle gauges', async () => {
    assert.equal((await call('GET', '/healthz', undefined, {})).statusCode, 200);
    assert.equal((await call('GET', '/readyz', undefined, {})).statusCode, 200);
    const metrics = (await call('GET', '/metrics', undefined, {})).body;
    assert.match(metrics, /signet_keys\{tenant="default",key_set="[^"]+",state="active"\} 1/);
    assert.match(metrics, /signet_next_transition_seconds\{/);
    assert.match(metrics, /signet_certificate_expiry_seconds\{/);
    assert.match(metrics, /signet_tokens_signed_total\{kid="/);
    assert.match(metrics, /signet_http_request_duration_seconds_count\{/);
  });
});

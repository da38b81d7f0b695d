import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  BASE_URL,
  createTestContext,
  findPrivateMaterial,
  type TestContext,
} from '../../helpers/create-test-context.ts';
import { apiTokenWith, clientWith } from '../../helpers/dialect-credentials.ts';

const UNAUTHORIZED = '{"message":"Unauthorized","statusCode":401,"name":"UnauthorizedError"}';

describe('OneLogin dialect', () => {
  let context: TestContext;
  let manager: { authorization: string };
  beforeEach(async () => {
    context = await createTestContext();
    manager = await apiTokenWith(context, ['manage_all']);
  });
  afterEach(() => context.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Record<string, string> = manager,
    payload?: string | object,
  ) => context.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  const nativeKeys = async () =>
    (
      await context.app.inject({
        method: 'GET',
        url: `/signet/v1/key-sets/${context.registry.getAuthorizationServer('default', 'default')!.signingKeySetId}/keys`,
        headers: context.admin,
      })
    ).json().items as Array<{ kid: string; state: string }>;
  const jwksKids = async (url = '/oidc/2/certs') =>
    (await call('GET', url, {})).json().keys.map((key: { kid: string }) => key.kid) as string[];

  describe('POST /auth/oauth2/v2/token', () => {
    test("accepts OneLogin's client_id/client_secret header with a JSON body, HTTP Basic, and a form body; answers with OneLogin's fields", async () => {
      const { clientId, clientSecret } = await clientWith(context, ['manage_all']);
      const forms: Array<{ headers: Record<string, string>; payload: string }> = [
        {
          headers: {
            authorization: `client_id:${clientId}, client_secret:${clientSecret}`,
            'content-type': 'application/json',
          },
          payload: '{"grant_type":"client_credentials"}',
        },
        {
          headers: {
            authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
            'content-type': 'application/json',
          },
          payload: '{"grant_type":"client_credentials"}',
        },
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
          }).toString(),
        },
      ];
      for (const form of forms) {
        const response = await call('POST', '/auth/oauth2/v2/token', form.headers, form.payload);
        assert.equal(response.statusCode, 200, response.body);
        assert.match(String(response.headers['content-type']), /^application\/json/);
        const body = response.json();
        assert.equal(body.token_type, 'bearer');
        assert.equal(typeof body.expires_in, 'number');
        assert.equal(body.created_at, new Date(context.clock.now).toISOString());
        // OneLogin resource APIs take `bearer` in any case.
        const listed = await call('GET', '/oidc/2/signing_keys', { authorization: `bearer ${body.access_token}` });
        assert.equal(listed.statusCode, 200, listed.body);
      }
    });

    test("bad client credentials are 401, a missing or wrong grant_type 400, in OneLogin's token error model", async () => {
      const { clientId } = await clientWith(context, ['manage_all']);
      const wrong = await call(
        'POST',
        '/auth/oauth2/v2/token',
        { authorization: `client_id:${clientId}, client_secret:nope`, 'content-type': 'application/json' },
        '{"grant_type":"client_credentials"}',
      );
      assert.equal(wrong.statusCode, 401);
      assert.match(String(wrong.headers['content-type']), /^application\/json/);
      assert.deepEqual(wrong.json(), {
        error: true,
        code: 401,
        type: 'unauthorized',
        message: 'Authentication Failure',
      });
      const none = await call(
        'POST',
        '/auth/oauth2/v2/token',
        { 'content-type': 'application/json' },
        '{"grant_type":"client_credentials"}',
      );
      assert.equal(none.statusCode, 401);
      const missing = await call(
        'POST',
        '/auth/oauth2/v2/token',
        { authorization: `client_id:${clientId}, client_secret:x`, 'content-type': 'application/json' },
        '{}',
      );
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().code, 400);
      assert.equal(missing.json().error, true);
      const password = await call(
        'POST',
        '/auth/oauth2/v2/token',
        { 'content-type': 'application/json' },
        '{"grant_type":"password"}',
      );
      assert.equal(password.statusCode, 400);
      const get = await call('GET', '/auth/oauth2/v2/token', {});
      assert.equal(get.statusCode, 405);
      assert.deepEqual(get.json(), {
        error: true,
        code: 405,
        type: 'method not allowed',
        message: 'GET is not supported on this endpoint',
      });
      const badJson = await call(
        'POST',
        '/auth/oauth2/v2/token',
        { 'content-type': 'application/json' },
        '{"grant_type":',
      );
      assert.equal(badJson.statusCode, 400);
      assert.equal(badJson.json().code, 400);
    });
  });

  describe('authentication and scope', () => {
    test("every 401 has exactly OneLogin's documented body and a JSON Content-Type", async () => {
      const { clientId, clientSecret } = await clientWith(context, ['manage_all']);
      // A token for the Auth0 audience is not a OneLogin token.
      const auth0Token = (
        await call(
          'POST',
          '/oauth/token',
          { 'content-type': 'application/json' },
          JSON.stringify({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
            audience: `${BASE_URL}/api/v2/`,
          }),
        )
      ).json().access_token;
      const cases: Array<[string, string, Record<string, string>]> = [
        ['GET', '/oidc/2/signing_keys', {}],
        ['GET', '/oidc/2/signing_keys', { authorization: 'bearer nope' }],
        ['GET', '/oidc/2/signing_keys', { authorization: `bearer ${auth0Token}` }],
        ['GET', '/oidc/2/signing_keys', { authorization: 'SSWS sgt_test-admin-token' }],
        ['POST', '/oidc/2/signing_keys', { authorization: 'Basic Zm9vOmJhcg==' }],
        ['GET', '/oidc/2/signing_keys/some-kid', {}],
        ['DELETE', '/oidc/2/signing_keys/some-kid', { authorization: 'bearer a.b.c' }],
      ];
      for (const [method, url, headers] of cases) {
        const response = await call(method as 'GET', url, headers);
        assert.equal(response.statusCode, 401, `${method} ${url} ${JSON.stringify(headers)}`);
        assert.equal(response.body, UNAUTHORIZED);
        assert.match(String(response.headers['content-type']), /^application\/json/);
      }
    });

    test("a credential without Manage All is 403 in OneLogin's envelope; Signet keys:read plus keys:write stand for it", async () => {
      const reader = await apiTokenWith(context, ['keys:read']);
      const denied = await call('GET', '/oidc/2/signing_keys', reader);
      assert.equal(denied.statusCode, 403);
      assert.deepEqual(Object.keys(denied.json()), ['message', 'statusCode', 'name']);
      assert.equal(denied.json().name, 'ForbiddenError');
      const auth0Scoped = await apiTokenWith(context, [
        'read:signing_keys',
        'create:signing_keys',
        'update:signing_keys',
      ]);
      assert.equal(
        (await call('POST', '/oidc/2/signing_keys', auth0Scoped)).statusCode,
        403,
        'Auth0 scopes are no OneLogin permission',
      );
      assert.equal(
        (await call('GET', '/oidc/2/signing_keys', await apiTokenWith(context, ['keys:read', 'keys:write'])))
          .statusCode,
        200,
      );
      assert.equal(
        (await call('GET', '/oidc/2/signing_keys', context.admin)).statusCode,
        200,
        'the bootstrap admin uses every dialect',
      );
    });

    test("a credential of another tenant is 401; the tenant's own credential works at /t/{tenant}", async () => {
      const created = await context.app.inject({
        method: 'POST',
        url: '/signet/v1/tenants',
        headers: context.admin,
        payload: { id: 'acme' },
      });
      const acmeAdmin = { authorization: `Bearer ${created.json().adminToken.token}` };
      const acmeManager = await apiTokenWith({ ...context, admin: acmeAdmin }, ['manage_all'], '/t/acme');
      assert.equal((await call('GET', '/t/acme/oidc/2/signing_keys', manager)).body, UNAUTHORIZED);
      assert.equal((await call('GET', '/oidc/2/signing_keys', acmeManager)).body, UNAUTHORIZED);
      const acmeKeys = await call('GET', '/t/acme/oidc/2/signing_keys', acmeManager);
      assert.equal(acmeKeys.statusCode, 200);
      const rootKeys = (await call('GET', '/oidc/2/signing_keys')).json();
      assert.notEqual(acmeKeys.json()[0].kid, rootKeys[0].kid);
      assert.equal((await call('GET', '/t/nope/oidc/2/signing_keys')).json().name, 'NotFoundError');
    });
  });

  describe('signing keys', () => {
    test("GET /oidc/2/signing_keys lists the active key with OneLogin's members; the next key is not shown", async () => {
      const response = await call('GET', '/oidc/2/signing_keys');
      assert.equal(response.statusCode, 200);
      const keys = response.json();
      assert.equal(keys.length, 1);
      assert.deepEqual(Object.keys(keys[0]).sort(), ['e', 'kid', 'kty', 'n', 'status', 'use']);
      assert.equal(keys[0].status, 'active');
      assert.equal(keys[0].kty, 'RSA');
      assert.equal(keys[0].use, 'sig');
      const active = (await nativeKeys()).find((key) => key.state === 'active')!;
      const next = (await nativeKeys()).find((key) => key.state === 'next')!;
      assert.equal(keys[0].kid, active.kid);
      assert.equal((await call('GET', `/oidc/2/signing_keys/${next.kid}`)).statusCode, 404);
      assert.deepEqual(findPrivateMaterial(response.body), []);
    });

    test('POST rotates now: 200 with the new active key; every other key drains and stays listed', async () => {
      const before = await nativeKeys();
      const oldActive = before.find((key) => key.state === 'active')!.kid;
      const oldNext = before.find((key) => key.state === 'next')!.kid;
      const response = await call('POST', '/oidc/2/signing_keys');
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().kid, oldNext);
      assert.equal(response.json().status, 'active');
      const listed = (await call('GET', '/oidc/2/signing_keys')).json();
      assert.deepEqual(
        listed.map((key: { kid: string; status: string }) => [key.kid, key.status]),
        [
          [oldNext, 'active'],
          [oldActive, 'draining'],
        ],
      );
      // Clients send a JSON Content-Type with no body at all.
      const again = (
        await call('POST', '/oidc/2/signing_keys', { ...manager, 'content-type': 'application/json' }, '')
      ).json();
      const statuses = (await call('GET', '/oidc/2/signing_keys')).json().map((key: { status: string }) => key.status);
      assert.deepEqual(statuses, ['active', 'draining', 'draining']);
      assert.equal((await call('GET', `/oidc/2/signing_keys/${again.kid}`)).json().status, 'active');
      assert.equal((await call('GET', `/oidc/2/signing_keys/${oldActive}`)).json().status, 'draining');
    });

    test('DELETE revokes a draining key (204, gone from the list and /oidc/2/certs); the active key is refused with 400; unknown kids are 404', async () => {
      const oldActive = (await call('GET', '/oidc/2/signing_keys')).json()[0].kid;
      const active = (await call('POST', '/oidc/2/signing_keys')).json().kid;
      assert.ok((await jwksKids()).includes(oldActive));

      const refused = await call('DELETE', `/oidc/2/signing_keys/${active}`);
      assert.equal(refused.statusCode, 400);
      assert.match(String(refused.headers['content-type']), /^application\/json/);
      assert.equal(refused.json().statusCode, 400);
      assert.equal(refused.json().name, 'BadRequestError');
      assert.match(refused.json().message, /active signing key/);

      const revoked = await call('DELETE', `/oidc/2/signing_keys/${oldActive}`);
      assert.equal(revoked.statusCode, 204);
      assert.equal(revoked.body, '');
      assert.ok(
        !(await call('GET', '/oidc/2/signing_keys')).json().some((key: { kid: string }) => key.kid === oldActive),
      );
      assert.ok(!(await jwksKids()).includes(oldActive));
      assert.equal((await nativeKeys()).find((key) => key.kid === oldActive)?.state, 'revoked');

      for (const kid of [oldActive, 'no-such-kid']) {
        const missing = await call('DELETE', `/oidc/2/signing_keys/${kid}`);
        assert.equal(missing.statusCode, 404);
        assert.deepEqual(missing.json(), { message: 'Signing key not found', statusCode: 404, name: 'NotFoundError' });
        assert.equal((await call('GET', `/oidc/2/signing_keys/${kid}`)).statusCode, 404);
      }
    });

    test("framework-level failures come out in OneLogin's envelope: 404 route, 405 method, 400 bad JSON, 413, 415, 400 kid too long", async () => {
      const expectEnvelope = (response: Awaited<ReturnType<typeof call>>, status: number, name: string) => {
        assert.equal(response.statusCode, status, response.body);
        assert.match(String(response.headers['content-type']), /^application\/json/);
        assert.deepEqual(Object.keys(response.json()), ['message', 'statusCode', 'name']);
        assert.equal(response.json().statusCode, status);
        assert.equal(response.json().name, name);
      };
      expectEnvelope(await call('GET', '/oidc/2/nothing-here'), 404, 'NotFoundError');
      const put = await call('PUT', '/oidc/2/signing_keys');
      expectEnvelope(put, 405, 'MethodNotAllowedError');
      assert.equal(put.headers.allow, 'GET, POST');
      expectEnvelope(await call('PUT', '/oidc/2/signing_keys/x'), 405, 'MethodNotAllowedError');
      const json = { ...manager, 'content-type': 'application/json' };
      expectEnvelope(await call('POST', '/oidc/2/signing_keys', json, '{"broken":'), 400, 'BadRequestError');
      expectEnvelope(
        await call('POST', '/oidc/2/signing_keys', json, JSON.stringify({ pad: 'x'.repeat(70_000) })),
        413,
        'PayloadTooLargeError',
      );
      expectEnvelope(
        await call('POST', '/oidc/2/signing_keys', { ...manager, 'content-type': 'text/plain' }, 'hello'),
        415,
        'UnsupportedMediaTypeError',
      );
      expectEnvelope(await call('GET', `/oidc/2/signing_keys/${'k'.repeat(200)}`), 400, 'BadRequestError');
      assert.equal((await nativeKeys()).length, 2, 'no refused request changed anything');
    });
  });

  describe('public OIDC v2 layout', () => {
    test('discovery names the /oidc/2 issuer; its token endpoint issues tokens for that issuer that verify against /oidc/2/certs', async () => {
      const discovery = (await call('GET', '/oidc/2/.well-known/openid-configuration', {})).json();
      assert.equal(discovery.issuer, `${BASE_URL}/oidc/2`);
      assert.equal(discovery.jwks_uri, `${BASE_URL}/oidc/2/certs`);
      assert.equal(discovery.token_endpoint, `${BASE_URL}/oidc/2/token`);
      const certs = await call('GET', '/oidc/2/certs', {});
      assert.match(String(certs.headers['content-type']), /^application\/json/);
      assert.ok(certs.headers.etag);
      assert.deepEqual(findPrivateMaterial(certs.body), []);
      // The certs list every published key, the pre-published next key too, so verifiers have it before it signs.
      assert.deepEqual((await jwksKids()).sort(), (await nativeKeys()).map((key) => key.kid).sort());
      const { clientId, clientSecret } = await clientWith(context, ['openid']);
      const token = await call(
        'POST',
        '/oidc/2/token',
        { 'content-type': 'application/x-www-form-urlencoded' },
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
      );
      assert.equal(token.statusCode, 200, token.body);
      const { payload } = await jwtVerify(token.json().access_token, createLocalJWKSet(certs.json()), {
        issuer: discovery.issuer,
        currentDate: new Date(context.clock.now),
      });
      assert.equal(payload.client_id, clientId);
      const refused = await call(
        'POST',
        '/oidc/2/token',
        { 'content-type': 'application/x-www-form-urlencoded' },
        'grant_type=client_credentials&client_id=x&client_secret=y',
      );
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error, 'invalid_client');
    });
  });

  test('a OneLogin rotation is audited with the credential and the source address', async () => {
    const rotated = (await call('POST', '/oidc/2/signing_keys', { ...manager }, undefined)).json();
    const events = (
      await context.app.inject({ method: 'GET', url: '/signet/v1/audit-events', headers: context.admin })
    ).json().items as Array<Record<string, unknown>>;
    const activated = events.find((event) => event.action === 'key.activated' && event.kid === rotated.kid)!;
    assert.ok(activated, JSON.stringify(events.slice(0, 3)));
    assert.equal((activated.actor as { type: string }).type, 'apiToken');
    assert.equal(activated.sourceIp, '127.0.0.1');
    assert.equal(activated.operation, 'rotate');
    assert.deepEqual(activated.details, { surface: 'onelogin' });
  });
});

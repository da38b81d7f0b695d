import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  BASE_URL,
  createTestContext,
  defaultKeySetId,
  findPrivateMaterial,
  type TestContext,
} from '../helpers/create-test-context.ts';

/** RFC 6749 §2.3.1: form-encode, then base64. */
function basic(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

// Every test runs on both custodies: keys sealed in the database, and keys on a SoftHSM2 token.
for (const custody of ['sealed', 'pkcs11'] as const) {
  describe(`public endpoints (${custody} custody)`, () => {
    let context: TestContext;
    before(async () => {
      context = await createTestContext({ custody });
    });
    after(() => context.close());

    test('GET /.well-known/openid-configuration names the issuer, JWKS and token endpoint', async () => {
      const response = await context.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
      assert.equal(response.statusCode, 200);
      const doc = response.json();
      assert.equal(doc.issuer, BASE_URL);
      assert.equal(doc.jwks_uri, `${BASE_URL}/.well-known/jwks.json`);
      assert.equal(doc.token_endpoint, `${BASE_URL}/oauth/token`);
      assert.deepEqual(doc.grant_types_supported, ['client_credentials']);
      assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    });

    test('GET /.well-known/oauth-authorization-server serves RFC 8414 metadata', async () => {
      const response = await context.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().issuer, BASE_URL);
    });

    test('GET /.well-known/jwks.json publishes the active and next keys with certificates and nothing private', async () => {
      const response = await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.equal(response.headers['access-control-allow-origin'], '*');
      assert.deepEqual(findPrivateMaterial(response.body), []);
      const { keys } = response.json();
      assert.equal(keys.length, 2);
      for (const key of keys) {
        assert.equal(key.kty, 'RSA');
        assert.equal(key.alg, 'RS256');
        assert.equal(key.use, 'sig');
        assert.ok(key.kid && key.n && key.e && key.x5t && key['x5t#S256']);
        assert.equal(key.x5c.length, 1);
      }
      const view = context.registry.getKeySetView(defaultKeySetId(context))!;
      assert.deepEqual(keys.map((k: { kid: string }) => k.kid).sort(), view.keys.map((k) => k.kid).sort());
    });

    test('the JWKS carries an ETag, answers If-None-Match with 304, and a max-age of jwksMaxAge', async () => {
      const first = await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.match(String(first.headers.etag), /^"[^"]+"$/);
      assert.equal(first.headers['cache-control'], 'public, max-age=3600, must-revalidate');
      const second = await context.app.inject({
        method: 'GET',
        url: '/.well-known/jwks.json',
        headers: { 'if-none-match': String(first.headers.etag) },
      });
      assert.equal(second.statusCode, 304);
      assert.equal(second.body, '');
      const weak = await context.app.inject({
        method: 'GET',
        url: '/.well-known/jwks.json',
        headers: { 'if-none-match': `"other", W/${first.headers.etag}` },
      });
      assert.equal(weak.statusCode, 304);
      const stale = await context.app.inject({
        method: 'GET',
        url: '/.well-known/jwks.json',
        headers: { 'if-none-match': '"stale"' },
      });
      assert.equal(stale.statusCode, 200);
    });

    test('Okta-style paths serve the default server too', async () => {
      const keys = await context.app.inject({ method: 'GET', url: '/oauth2/default/v1/keys' });
      const jwks = await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.equal(keys.statusCode, 200);
      assert.equal(keys.body, jwks.body);
      const discovery = await context.app.inject({
        method: 'GET',
        url: '/oauth2/default/.well-known/openid-configuration',
      });
      assert.equal(discovery.json().jwks_uri, `${BASE_URL}/oauth2/default/v1/keys`);
      const unknown = await context.app.inject({ method: 'GET', url: '/oauth2/nope/v1/keys' });
      assert.equal(unknown.statusCode, 404);
    });

    test('POST /oauth/token with client_secret_basic (form-decoded per RFC 6749 §2.3.1) issues an RFC 9068 token that verifies against the JWKS', async () => {
      const response = await context.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...form, authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
        payload: 'grant_type=client_credentials&scope=keys:read',
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['cache-control'], 'no-store');
      const body = response.json();
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 3600);
      assert.equal(body.scope, 'keys:read');
      const jwks = (await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
        issuer: BASE_URL,
        audience: 'api://default',
        typ: 'at+jwt',
        currentDate: new Date(context.clock.now),
      });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(protectedHeader.kid, context.registry.getKeySetView(defaultKeySetId(context))!.signer!.kid);
      assert.equal(payload.client_id, ADMIN_CLIENT_ID);
      assert.equal(payload.sub, ADMIN_CLIENT_ID);
      assert.equal(payload.exp! - payload.iat!, 3600);
      assert.ok(typeof payload.jti === 'string');
    });

    test('client_secret_post works and the token lifetime is capped by maxTokenLifetimeSeconds', async () => {
      const keySetId = defaultKeySetId(context);
      await context.services.authorizationServers.updateAuthorizationServer(
        { actor: { type: 'system', id: 'test', tenantId: null }, requestId: null, sourceIp: null, surface: 'native' },
        'default',
        'default',
        { accessTokenLifetimeSeconds: 86_400 },
      );
      const response = await context.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: form,
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: ADMIN_CLIENT_ID,
          client_secret: ADMIN_CLIENT_SECRET,
        }).toString(),
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(
        response.json().expires_in,
        context.registry.getKeySetView(keySetId)!.keySet.policy.maxTokenLifetimeSeconds,
      );
    });

    const oauthErrors: [string, Record<string, string>, string, number, string][] = [
      [
        'a wrong secret',
        { authorization: basic(ADMIN_CLIENT_ID, 'wrong') },
        'grant_type=client_credentials',
        401,
        'invalid_client',
      ],
      [
        'an unknown client',
        { authorization: basic('nobody', 'x') },
        'grant_type=client_credentials',
        401,
        'invalid_client',
      ],
      ['no client authentication', {}, 'grant_type=client_credentials', 401, 'invalid_client'],
      [
        'two authentication methods',
        { authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
        `grant_type=client_credentials&client_id=${ADMIN_CLIENT_ID}&client_secret=x`,
        400,
        'invalid_request',
      ],
      [
        'an unsupported grant type',
        { authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
        'grant_type=password',
        400,
        'unsupported_grant_type',
      ],
      [
        'a missing grant type',
        { authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
        'scope=keys:read',
        400,
        'invalid_request',
      ],
      [
        'a repeated parameter',
        { authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
        'grant_type=client_credentials&grant_type=client_credentials',
        400,
        'invalid_request',
      ],
      [
        'a scope the client lacks',
        { authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
        'grant_type=client_credentials&scope=launch:missiles',
        400,
        'invalid_scope',
      ],
      [
        'an audience the server does not serve',
        { authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
        'grant_type=client_credentials&audience=https://elsewhere',
        400,
        'invalid_target',
      ],
      [
        'a Bearer Authorization header',
        { authorization: 'Bearer abc' },
        'grant_type=client_credentials',
        401,
        'invalid_client',
      ],
    ];
    for (const [name, headers, payload, status, error] of oauthErrors) {
      test(`POST /oauth/token with ${name} answers ${status} ${error} in the RFC 6749 §5.2 envelope`, async () => {
        const response = await context.app.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { ...form, ...headers },
          payload,
        });
        assert.equal(response.statusCode, status, response.body);
        assert.equal(response.json().error, error);
        assert.equal(typeof response.json().error_description, 'string');
        if (status === 401) assert.match(String(response.headers['www-authenticate']), /^Basic/);
      });
    }

    test('POST /oauth/token with a non-form body answers invalid_request, not a 500', async () => {
      for (const [type, payload] of [
        ['text/plain', 'grant_type=client_credentials'],
        ['application/json', '{not json'],
      ]) {
        const response = await context.app.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { 'content-type': type! },
          payload: payload!,
        });
        assert.ok([400, 415].includes(response.statusCode), `${type}: ${response.statusCode}`);
        assert.equal(response.json().error, 'invalid_request');
      }
    });

    test('tokens carry the kid of the signing key in their header', async () => {
      const response = await context.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...form, authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
        payload: 'grant_type=client_credentials',
      });
      assert.equal(decodeProtectedHeader(response.json().access_token).typ, 'at+jwt');
    });

    test('an unknown tenant path answers 404 in the native envelope', async () => {
      const response = await context.app.inject({ method: 'GET', url: '/t/ghost/.well-known/jwks.json' });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'ERR_TENANT_NOT_FOUND');
    });
  });
}

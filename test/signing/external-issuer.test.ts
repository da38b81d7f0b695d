import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { createTestContext, type TestContext } from '../helpers/create-test-context.ts';
import { adminClientCredentials } from '../helpers/dialect-credentials.ts';

const EXTERNAL = 'https://login.example.com';

describe('an authorization server with an external issuer', () => {
  let context: TestContext;
  before(async () => {
    context = await createTestContext();
  });
  after(() => context.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    context.app.inject({ method, url, headers: context.admin, ...(payload === undefined ? {} : { payload }) });

  test('tokens it signs, its discovery and its token endpoint carry the issuer; its JWKS stays at Signet', async () => {
    const created = await call('POST', '/signet/v1/authorization-servers', {
      id: 'idp',
      audiences: ['api://idp'],
      externalIssuer: EXTERNAL,
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().externalIssuer, EXTERNAL);

    const discovery = (
      await context.app.inject({ method: 'GET', url: '/oauth2/idp/.well-known/openid-configuration' })
    ).json();
    assert.equal(discovery.issuer, EXTERNAL);
    assert.equal(discovery.jwks_uri, 'http://signet.test/oauth2/idp/v1/keys');
    const jwks = createLocalJWKSet((await context.app.inject({ method: 'GET', url: '/oauth2/idp/v1/keys' })).json());

    const signed = await call('POST', '/signet/v1/authorization-servers/idp/sign', { claims: { sub: 'u', aud: 'rp' } });
    assert.equal(signed.statusCode, 200, signed.body);
    await jwtVerify(signed.json().jwt, jwks, { issuer: EXTERNAL, currentDate: new Date(context.clock.now) });
    const own = await call('POST', '/signet/v1/authorization-servers/idp/sign', {
      claims: { iss: 'http://signet.test/oauth2/idp' },
    });
    assert.equal(own.json().error.code, 'ERR_VALIDATION', "Signet's own URL is not this server's issuer any more");

    const token = await adminClientCredentials(context, '/oauth2/idp/v1/token');
    assert.equal(token.statusCode, 200, token.body);
    assert.equal(decodeJwt(token.json().access_token).iss, EXTERNAL);

    // null goes back to Signet's own issuer.
    const reset = await call('PATCH', '/signet/v1/authorization-servers/idp', { externalIssuer: null });
    assert.equal(reset.statusCode, 200, reset.body);
    const again = await call('POST', '/signet/v1/authorization-servers/idp/sign', { claims: {} });
    assert.equal(decodeJwt(again.json().jwt).iss, 'http://signet.test/oauth2/idp');
  });

  test('an external issuer must be an https URL without query or fragment', async () => {
    for (const externalIssuer of ['http://login.example.com', 'https://x.example/?a=1', 'not a url', 'https://x#f']) {
      const refused = await call('PATCH', '/signet/v1/authorization-servers/default', { externalIssuer });
      assert.equal(refused.statusCode, 400, externalIssuer);
      assert.deepEqual(refused.json().error.details.fields, ['externalIssuer']);
    }
  });

  test('the default server with an external issuer still issues management tokens the native API accepts', async () => {
    assert.equal(
      (await call('PATCH', '/signet/v1/authorization-servers/default', { externalIssuer: EXTERNAL })).statusCode,
      200,
    );
    const issued = await adminClientCredentials(context, '/oauth/token', { audience: 'urn:signet:management' });
    const listed = await context.app.inject({
      method: 'GET',
      url: '/signet/v1/key-sets',
      headers: { authorization: `Bearer ${issued.json().access_token}` },
    });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.equal(
      (await call('PATCH', '/signet/v1/authorization-servers/default', { externalIssuer: null })).statusCode,
      200,
    );
  });

  test('the OpenAPI document describes the signing route, its scope, body and answer', async () => {
    const doc = (await context.app.inject({ method: 'GET', url: '/signet/v1/openapi.json' })).json();
    const operation = doc.paths['/signet/v1/authorization-servers/{authorizationServerId}/sign'].post;
    assert.equal(operation['x-required-scope'], 'tokens:sign');
    const body = operation.requestBody.content['application/json'].schema;
    assert.deepEqual(Object.keys(body.properties).sort(), ['alg', 'claims', 'expiresIn', 'typ']);
    assert.equal(body.additionalProperties, false);
    const answer = operation.responses['200'].content['application/json'].schema;
    assert.deepEqual(answer.required, ['jwt', 'kid', 'alg', 'issuedAt', 'expiresAt', 'verifiableUntil']);
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { createAccessTokenVerifier } from '../../../src/crypto/verify-access-token.ts';
import { authenticate } from '../../../src/http/authenticate.ts';
import { auth0Surface } from '../../../src/http/dialects/auth0/auth0-surface.ts';
import { oktaErrorBody } from '../../../src/http/dialects/okta/okta-error-envelope.ts';
import { oktaSurface } from '../../../src/http/dialects/okta/okta-surface.ts';
import { oneLoginSurface } from '../../../src/http/dialects/onelogin/onelogin-surface.ts';
import { SignetError } from '../../../src/errors.ts';
import { ADMIN_TOKEN, BASE_URL, createTestContext, type TestContext } from '../../helpers/create-test-context.ts';
import { clientWith } from '../../helpers/dialect-credentials.ts';

describe('shared dialect framework', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = await createTestContext();
  });
  afterEach(() => context.close());

  /** Runs the one management authenticator the way a dialect's guard does, on the root tenant. */
  const authenticateAs = (authorization: string, dialect: 'okta' | 'auth0' | 'onelogin') =>
    authenticate(
      { authorization, tenant: context.registry.getTenant('default')! },
      {
        registry: context.registry,
        credentials: context.services.credentials,
        verifier: createAccessTokenVerifier(),
        baseUrl: BASE_URL,
        rootTenantId: 'default',
        now: () => context.clock.now,
      },
      { okta: oktaSurface, auth0: auth0Surface, onelogin: oneLoginSurface }[dialect].managementAudience!,
    );

  test('SSWS API tokens are accepted by the Okta dialect only; Bearer API tokens by every dialect', async () => {
    const principal = await authenticateAs(`SSWS ${ADMIN_TOKEN}`, 'okta');
    assert.equal(principal.tenantId, 'default');
    assert.ok(principal.scopes.has('identity-providers:write'), 'the bootstrap admin holds the new Signet scopes');
    await assert.rejects(authenticateAs(`SSWS ${ADMIN_TOKEN}`, 'auth0'), { code: 'ERR_UNAUTHENTICATED' });
    await assert.rejects(authenticateAs('SSWS sgt_wrong', 'okta'), { code: 'ERR_UNAUTHENTICATED' });
    for (const dialect of ['okta', 'auth0', 'onelogin'] as const)
      assert.equal((await authenticateAs(`Bearer ${ADMIN_TOKEN}`, dialect)).tenantId, 'default');
  });

  test('POST /oauth2/v1/token (Okta org server) issues okta.* tokens whose issuer and audience are the org URL, usable only by the Okta dialect', async () => {
    const { clientId, clientSecret } = await clientWith(context, ['okta.authorizationServers.read', 'okta.idps.read']);
    const response = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v1/token',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials&scope=okta.idps.read',
    });
    assert.equal(response.statusCode, 200, response.body);
    const token = response.json().access_token as string;
    const claims = decodeJwt(token);
    assert.equal(claims.iss, BASE_URL);
    assert.equal(claims.aud, BASE_URL);
    assert.equal(claims.scope, 'okta.idps.read');
    const principal = await authenticateAs(`Bearer ${token}`, 'okta');
    assert.deepEqual([...principal.scopes], ['okta.idps.read']);
    await assert.rejects(authenticateAs(`Bearer ${token}`, 'auth0'), { code: 'ERR_UNAUTHENTICATED' });
    await assert.rejects(authenticateAs(`Bearer ${token}`, 'onelogin'), { code: 'ERR_UNAUTHENTICATED' });
    const refused = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v1/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}&scope=okta.idps.manage`,
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error, 'invalid_scope');
  });

  test("route-not-found under /api/v1 is Okta's E0000007 envelope with a JSON Content-Type, under every tenant prefix", async () => {
    for (const url of ['/api/v1/nothing', '/t/default/api/v1/authorizationServers/x/nothing']) {
      const response = await context.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const body = response.json();
      assert.deepEqual(Object.keys(body), ['errorCode', 'errorSummary', 'errorLink', 'errorId', 'errorCauses']);
      assert.equal(body.errorCode, 'E0000007');
      assert.equal(body.errorLink, 'E0000007');
      assert.match(body.errorSummary, /^Not found: /);
      assert.deepEqual(body.errorCauses, []);
    }
  });

  test("Okta errors carry a dialect's exact summary and causes, else the status's documented code", () => {
    const exact = oktaErrorBody(
      new SignetError('ERR_VALIDATION', 'use must be sig', {
        errorSummary: 'Api validation failed: rotateKeys',
        errorCauses: ["Invalid value specified for key 'use' parameter"],
      }),
      400,
      'b0f6a7a2-0000-4000-8000-000000000000',
    );
    assert.deepEqual(
      { ...exact, errorId: 'x' },
      {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: rotateKeys',
        errorLink: 'E0000001',
        errorId: 'x',
        errorCauses: [{ errorSummary: "Invalid value specified for key 'use' parameter" }],
      },
    );
    assert.match(exact.errorId, /^oae[0-9a-f]{22}$/);
    assert.equal(oktaErrorBody(new SignetError('ERR_UNAUTHENTICATED', 'x'), 401, 'r').errorCode, 'E0000011');
    assert.equal(
      oktaErrorBody(new SignetError('ERR_FORBIDDEN', 'x'), 403, 'r').errorSummary,
      'You do not have permission to perform the requested action',
    );
    assert.equal(oktaErrorBody(new SignetError('ERR_METHOD_NOT_ALLOWED', 'x'), 405, 'r').errorCode, 'E0000022');
    assert.equal(
      oktaErrorBody(new SignetError('ERR_VALIDATION', 'request body is not valid JSON'), 400, 'r').errorCode,
      'E0000003',
    );
  });

  /** Which envelope an error body is in, from its shape. */
  const envelopeOf = (body: Record<string, unknown>): string => {
    if ('errorLink' in body) return 'okta';
    if ('errorCode' in body && 'statusCode' in body) return 'auth0';
    if (body.error === true) return 'onelogin-token';
    if ('name' in body && 'statusCode' in body) return 'onelogin';
    if (typeof body.error === 'string' && 'error_description' in body) return 'oauth';
    if (typeof body.error === 'object') return 'native';
    return 'unknown';
  };

  test('requests that match no route are rendered in the envelope of the prefix or route path they address', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/api/v1/nothing?limit=2', 'okta'],
      ['GET', '/t/default/api/v2/keys/signing/x/y', 'auth0'],
      ['GET', '/oidc/2/unknown', 'onelogin'],
      ['GET', '/t/default/auth/oauth2/v2/token', 'onelogin-token'],
      ['GET', '/oidc/2/token', 'oauth'],
      ['GET', '/oauth2/v1/token', 'oauth'],
      ['GET', '/oauth2/aus1/v1/token', 'oauth'],
      ['PUT', '/oauth/token', 'oauth'],
      ['GET', '/signet/v1/nothing', 'native'],
      ['GET', '/ui/assets/x/y.js', 'native'],
      ['GET', '/nothing', 'native'],
    ];
    for (const [method, url, envelope] of cases) {
      const response = await context.app.inject({ method: method as 'GET', url });
      assert.ok(response.statusCode === 404 || response.statusCode === 405, `${url}: ${response.statusCode}`);
      assert.equal(envelopeOf(response.json()), envelope, `${method} ${url}`);
    }
  });
});

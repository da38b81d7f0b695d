import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { createTestContext, type TestContext } from '../helpers/create-test-context.ts';
import { adminClientCredentials, apiTokenWith } from '../helpers/dialect-credentials.ts';

const SIGN = '/signet/v1/authorization-servers/default/sign';

describe('signing API: scopes, tenancy and every refusal over HTTP, in the native envelope', () => {
  let context: TestContext;
  const tokens: Record<string, { authorization: string }> = {};
  before(async () => {
    context = await createTestContext();
    const createToken = async (name: string, body: Record<string, unknown>, url = '/signet/v1/api-tokens') => {
      const created = await context.app.inject({
        method: 'POST',
        url,
        headers: context.admin,
        payload: { name, ...body },
      });
      assert.equal(created.statusCode, 201, created.body);
      tokens[name] = { authorization: `Bearer ${created.json().token}` };
    };
    tokens.signer = await apiTokenWith(context, ['tokens:sign']);
    tokens.reader = await apiTokenWith(context, ['keys:read', 'authorization-servers:read']);
    const other = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/authorization-servers',
      headers: context.admin,
      payload: { id: 'other', audiences: ['api://other'] },
    });
    assert.equal(other.statusCode, 201, other.body);
    await createToken('restricted', { scopes: ['tokens:sign'], authorizationServerIds: ['other'] });
    const acme = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/tenants',
      headers: context.admin,
      payload: { id: 'acme' },
    });
    assert.equal(acme.statusCode, 201, acme.body);
    tokens.acme = { authorization: `Bearer ${acme.json().adminToken.token}` };
  });
  after(() => context.close());

  const sign = (payload: unknown, headers: Record<string, string> = tokens.signer!, url = SIGN) =>
    context.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: payload as string,
    });
  const refused = async (
    response: Awaited<ReturnType<typeof sign>>,
    status: number,
    code: string,
  ): Promise<Record<string, unknown>> => {
    assert.equal(response.statusCode, status, response.body);
    const { error } = response.json();
    assert.equal(error.code, code);
    assert.equal(typeof error.message, 'string');
    assert.equal(typeof error.requestId, 'string');
    return error.details ?? {};
  };

  test('a credential holding tokens:sign signs; iss is the server issuer and other claims are kept', async () => {
    const response = await sign({ claims: { sub: 'u', aud: ['a', 'b'], nonce: 'n', custom: true } });
    assert.equal(response.statusCode, 200, response.body);
    const claims = decodeJwt(response.json().jwt);
    assert.equal(claims.iss, 'http://signet.test');
    assert.deepEqual(claims.aud, ['a', 'b']);
    assert.equal(claims.custom, true);
    assert.equal(claims.iat, Math.floor(context.clock.now / 1000));
    assert.equal(claims.exp, claims.iat! + 3600, "exp defaults to the server's accessTokenLifetimeSeconds");
  });

  test('a management access token (client_credentials, urn:signet:management) with tokens:sign signs too', async () => {
    const issued = await adminClientCredentials(context, '/oauth/token', {
      audience: 'urn:signet:management',
      scope: 'tokens:sign',
    });
    assert.equal(issued.statusCode, 200, issued.body);
    const response = await sign({ claims: { sub: 'u' } }, { authorization: `Bearer ${issued.json().access_token}` });
    assert.equal(response.statusCode, 200, response.body);
  });

  test('no credential or a bad one: 401', async () => {
    await refused(await sign({ claims: {} }, {}), 401, 'ERR_UNAUTHENTICATED');
    await refused(await sign({ claims: {} }, { authorization: 'Bearer sgt_nope' }), 401, 'ERR_UNAUTHENTICATED');
  });

  test('without tokens:sign, from another tenant, or restricted to other servers: 403', async () => {
    const details = await refused(await sign({ claims: {} }, tokens.reader), 403, 'ERR_FORBIDDEN');
    assert.equal(details.requiredScope, 'tokens:sign');
    assert.equal((await refused(await sign({ claims: {} }, tokens.acme), 403, 'ERR_FORBIDDEN')).reason, 'otherTenant');
    const restricted = await refused(await sign({ claims: {} }, tokens.restricted), 403, 'ERR_FORBIDDEN');
    assert.equal(restricted.reason, 'authorizationServerNotAllowed');
    const allowed = await sign({ claims: {} }, tokens.restricted, '/signet/v1/authorization-servers/other/sign');
    assert.equal(allowed.statusCode, 200, allowed.body);
  });

  test('a lifetime over maxTokenLifetimeSeconds is refused naming both values; exactly the maximum is signed', async () => {
    const details = await refused(await sign({ claims: {}, expiresIn: 3601 }), 400, 'ERR_TOKEN_LIFETIME_TOO_LONG');
    assert.deepEqual(details, { lifetimeSeconds: 3601, maxTokenLifetimeSeconds: 3600 });
    const exp = Math.floor(context.clock.now / 1000) + 3601;
    await refused(await sign({ claims: { exp } }), 400, 'ERR_TOKEN_LIFETIME_TOO_LONG');
    assert.equal((await sign({ claims: { exp: exp - 1 } })).statusCode, 200);
  });

  test('bad claims: not an object, non-numeric exp, nbf after exp, a foreign iss, iat out of skew, a management audience', async () => {
    const now = Math.floor(context.clock.now / 1000);
    for (const claims of ['x', [1], null, 7]) await refused(await sign({ claims }), 400, 'ERR_VALIDATION');
    const field = async (claims: Record<string, unknown>, name: string) => {
      const details = await refused(await sign({ claims }), 400, 'ERR_VALIDATION');
      assert.deepEqual(details.fields, [name]);
    };
    await field({ exp: 'tomorrow' }, 'claims.exp');
    await field({ exp: now - 1 }, 'claims.exp');
    await field({ nbf: now + 100, exp: now + 50 }, 'claims.nbf');
    await field({ nbf: 'soon' }, 'claims.nbf');
    await field({ iss: 'https://evil.example' }, 'claims.iss');
    await field({ iat: now - 301 }, 'claims.iat');
    await field({ iat: now + 301 }, 'claims.iat');
    await field({ aud: 'urn:signet:management' }, 'claims.aud');
    await field({ aud: ['x', 'http://signet.test/api/v2/'] }, 'claims.aud');
    // Inside the skew, and the issuer given as it is, are signed.
    assert.equal((await sign({ claims: { iat: now - 300, iss: 'http://signet.test' } })).statusCode, 200);
  });

  test('header members other than typ, unknown fields, bad typ/alg/expiresIn: 400', async () => {
    for (const body of [
      { claims: {}, header: { kid: 'mine' } },
      { claims: {}, kid: 'mine' },
      { claims: {}, header: { alg: 'none' } },
      { claims: {}, typ: 'bad typ with spaces' },
      { claims: {}, alg: 'none' },
      { claims: {}, expiresIn: 1.5 },
      { claims: {}, expiresIn: '60' },
      {},
    ])
      await refused(await sign(body), 400, 'ERR_VALIDATION');
    await refused(await sign({ claims: {}, alg: 'ES256' }), 404, 'ERR_KEY_SET_NOT_FOUND');
    await refused(await sign('{"claims":'), 400, 'ERR_VALIDATION');
  });

  test('a body over the size limit: 413 in the native envelope', async () => {
    const big = { claims: { blob: 'x'.repeat(70 * 1024) } };
    await refused(await sign(big), 413, 'ERR_BODY_TOO_LARGE');
  });

  test('an unknown authorization server: 404', async () => {
    await refused(
      await sign({ claims: {} }, tokens.signer, '/signet/v1/authorization-servers/nope/sign'),
      404,
      'ERR_AUTH_SERVER_NOT_FOUND',
    );
  });
});

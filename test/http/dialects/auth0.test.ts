import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  BASE_URL,
  createTestContext,
  findPrivateMaterial,
  type TestContext,
} from '../../helpers/create-test-context.ts';
import { apiTokenWith, clientWith } from '../../helpers/dialect-credentials.ts';

type Auth0Key = Record<string, unknown> & {
  kid: string;
  cert: string;
  current: boolean;
  next: boolean;
  previous: boolean;
  revoked: boolean;
};

describe('Auth0 dialect', () => {
  let context: TestContext;
  let admin: { authorization: string };
  beforeEach(async () => {
    context = await createTestContext();
    admin = await apiTokenWith(context, ['read:signing_keys', 'create:signing_keys', 'update:signing_keys']);
  });
  afterEach(() => context.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Record<string, string> = admin,
    payload?: string,
  ) => context.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  const list = async () => (await call('GET', '/api/v2/keys/signing')).json() as Auth0Key[];
  const role = (keys: Auth0Key[], name: 'current' | 'next' | 'previous') =>
    keys.filter((key) => key[name] && !key.revoked);
  const expectError = (
    response: Awaited<ReturnType<typeof call>>,
    status: number,
    message: string | RegExp,
    errorCode?: string,
  ) => {
    assert.equal(response.statusCode, status, response.body);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['statusCode', 'error', 'message', 'errorCode']);
    assert.equal(body.statusCode, status);
    if (typeof message === 'string') assert.equal(body.message, message);
    else assert.match(body.message, message);
    if (errorCode) assert.equal(body.errorCode, errorCode);
  };

  test("POST /oauth/token with Auth0's JSON body and the {base}/api/v2/ audience issues a Management API token", async () => {
    const { clientId, clientSecret } = await clientWith(context, ['read:signing_keys']);
    const response = await call(
      'POST',
      '/oauth/token',
      { 'content-type': 'application/json' },
      JSON.stringify({
        client_id: clientId,
        client_secret: clientSecret,
        audience: `${BASE_URL}/api/v2/`,
        grant_type: 'client_credentials',
      }),
    );
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().token_type, 'Bearer');
    const token = { authorization: `Bearer ${response.json().access_token}` };
    assert.equal((await call('GET', '/api/v2/keys/signing', token)).statusCode, 200);
    // The token is for Auth0's audience only: the native API refuses it.
    assert.equal((await call('GET', '/signet/v1/key-sets', token)).statusCode, 401);
    // A token for the native management audience is not an Auth0 token.
    const native = (
      await call(
        'POST',
        '/oauth/token',
        { 'content-type': 'application/json' },
        JSON.stringify({
          client_id: clientId,
          client_secret: clientSecret,
          audience: 'urn:signet:management',
          grant_type: 'client_credentials',
        }),
      )
    ).json().access_token;
    expectError(
      await call('GET', '/api/v2/keys/signing', { authorization: `Bearer ${native}` }),
      401,
      'Invalid token.',
      'invalid_token',
    );
    const foreign = await call(
      'POST',
      '/oauth/token',
      { 'content-type': 'application/json' },
      JSON.stringify({
        client_id: clientId,
        client_secret: clientSecret,
        audience: 'https://elsewhere.example/api/v2/',
        grant_type: 'client_credentials',
      }),
    );
    assert.equal(foreign.statusCode, 400);
    assert.equal(foreign.json().error, 'invalid_target');
  });

  test('/oauth/token also takes a form body; a non-string JSON parameter is refused in the OAuth envelope', async () => {
    const { clientId, clientSecret } = await clientWith(context, ['read:signing_keys']);
    const form = await call(
      'POST',
      '/oauth/token',
      { 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        audience: `${BASE_URL}/api/v2/`,
      }).toString(),
    );
    assert.equal(form.statusCode, 200, form.body);
    assert.equal(
      (await call('GET', '/api/v2/keys/signing', { authorization: `Bearer ${form.json().access_token}` })).statusCode,
      200,
    );
    const numeric = await call(
      'POST',
      '/oauth/token',
      { 'content-type': 'application/json' },
      JSON.stringify({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        audience: `${BASE_URL}/api/v2/`,
        scope: 1,
      }),
    );
    assert.equal(numeric.statusCode, 400);
    assert.equal(numeric.json().error, 'invalid_request');
  });

  test('a tenant on a claimed host name has its own Auth0 audience and keys', async () => {
    const created = await call(
      'POST',
      '/signet/v1/tenants',
      { ...context.admin, 'content-type': 'application/json' },
      JSON.stringify({ id: 'acme', hostNames: ['login.acme.test'] }),
    );
    const acmeAdmin = { authorization: `Bearer ${created.json().adminToken.token}`, host: 'login.acme.test' };
    const client = (
      await call(
        'POST',
        '/signet/v1/clients',
        { ...acmeAdmin, 'content-type': 'application/json' },
        JSON.stringify({ name: 'acme auth0', scopes: ['read:signing_keys'] }),
      )
    ).json();
    const token = await call(
      'POST',
      '/oauth/token',
      { host: 'login.acme.test', 'content-type': 'application/json' },
      JSON.stringify({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        audience: 'http://login.acme.test/api/v2/',
      }),
    );
    assert.equal(token.statusCode, 200, token.body);
    const bearer = { authorization: `Bearer ${token.json().access_token}` };
    const acmeKeys = await call('GET', '/api/v2/keys/signing', { ...bearer, host: 'login.acme.test' });
    assert.equal(acmeKeys.statusCode, 200);
    // The same tenant by path accepts the token (same tenant, another of its base URLs); the root tenant does not.
    assert.deepEqual((await call('GET', '/t/acme/api/v2/keys/signing', bearer)).json(), acmeKeys.json());
    expectError(await call('GET', '/api/v2/keys/signing', bearer), 401, 'Invalid token.');
    assert.notEqual(acmeKeys.json()[0].kid, (await list())[0]!.kid);
  });

  test('GET /api/v2/keys/signing lists current and next keys with every documented field', async () => {
    const response = await call('GET', '/api/v2/keys/signing');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    assert.deepEqual(findPrivateMaterial(response.body), []);
    const keys = response.json() as Auth0Key[];
    assert.equal(keys.length, 2);
    const [current, next] = keys as [Auth0Key, Auth0Key];
    assert.deepEqual([current.current, current.next, current.previous, current.revoked], [true, false, false, false]);
    assert.deepEqual([next.current, next.next, next.previous, next.revoked], [false, true, false, false]);
    assert.deepEqual(Object.keys(current).sort(), [
      'cert',
      'current',
      'current_since',
      'fingerprint',
      'kid',
      'next',
      'pkcs7',
      'previous',
      'revoked',
      'thumbprint',
    ]);
    assert.ok(!('current_since' in next));
    assert.equal(current.current_since, new Date(context.clock.now).toISOString());

    for (const key of keys) {
      const cert = key.cert as string;
      assert.match(cert, /^-----BEGIN CERTIFICATE-----\r\n/);
      assert.match(cert, /\r\n-----END CERTIFICATE-----$/);
      assert.ok(!/[^\r]\n/.test(cert), 'every line ends in CRLF');
      const x509 = new X509Certificate(cert);
      const sha1 = createHash('sha1').update(x509.raw).digest('hex').toUpperCase();
      assert.equal(key.thumbprint, sha1);
      assert.equal(key.fingerprint, sha1.match(/../g)!.join(':'));
      assert.equal(x509.fingerprint, key.fingerprint);
      assert.match(key.pkcs7 as string, /^-----BEGIN PKCS7-----\r\n[\s\S]+\r\n-----END PKCS7-----$/);
      // The PKCS#7 holds this very certificate.
      assert.ok(Buffer.from((key.pkcs7 as string).split('\r\n').slice(1, -1).join(''), 'base64').includes(x509.raw));
    }
    const one = await call('GET', `/api/v2/keys/signing/${next.kid}`);
    assert.equal(one.statusCode, 200);
    assert.deepEqual(one.json(), next);
  });

  test('POST /api/v2/keys/signing/rotate: 201 with the newly queued next key; next becomes current, current becomes previous', async () => {
    const [current, next] = (await list()) as [Auth0Key, Auth0Key];
    context.advance(60_000);
    const response = await call('POST', '/api/v2/keys/signing/rotate');
    assert.equal(response.statusCode, 201);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const rotated = response.json();
    assert.deepEqual(Object.keys(rotated).sort(), ['cert', 'kid']);
    const keys = await list();
    assert.deepEqual(
      role(keys, 'current').map((key) => key.kid),
      [next.kid],
    );
    assert.deepEqual(
      role(keys, 'next').map((key) => key.kid),
      [rotated.kid],
    );
    assert.equal(role(keys, 'next')[0]!.cert, rotated.cert);
    const previous = role(keys, 'previous');
    assert.deepEqual(
      previous.map((key) => key.kid),
      [current.kid],
    );
    assert.equal(previous[0]!.current_until, new Date(context.clock.now).toISOString());
    assert.equal(role(keys, 'current')[0]!.current_since, new Date(context.clock.now).toISOString());
    // The JWKS always has the current and next keys and keeps the previous one, with x5c and x5t.
    const jwks = (await call('GET', '/.well-known/jwks.json', {})).json().keys as Array<Record<string, unknown>>;
    assert.deepEqual(jwks.map((key) => key.kid).sort(), [current.kid, next.kid, rotated.kid].sort());
    for (const entry of jwks) {
      const listed = keys.find((key) => key.kid === entry.kid)!;
      assert.equal((entry.x5c as string[])[0], listed.cert.split('\r\n').slice(1, -1).join(''));
      assert.equal(
        Buffer.from(entry.x5t as string, 'base64url')
          .toString('hex')
          .toUpperCase(),
        listed.thumbprint,
      );
    }
  });

  test('PUT /api/v2/keys/signing/{kid}/revoke: 200 for the previous key; the current, the next and a revoked key are 400; unknown kids 404', async () => {
    const [current, next] = (await list()) as [Auth0Key, Auth0Key];
    const queued = (await call('POST', '/api/v2/keys/signing/rotate')).json();
    expectError(
      await call('PUT', `/api/v2/keys/signing/${next.kid}/revoke`),
      400,
      /current signing key cannot be revoked/,
    );
    expectError(
      await call('PUT', `/api/v2/keys/signing/${queued.kid}/revoke`),
      400,
      /next signing key cannot be revoked/,
    );

    context.advance(1000);
    // Clients send a JSON Content-Type with no body at all.
    const response = await call(
      'PUT',
      `/api/v2/keys/signing/${current.kid}/revoke`,
      { ...admin, 'content-type': 'application/json' },
      '',
    );
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().kid, current.kid);
    assert.equal(response.json().cert, current.cert);
    const revoked = (await call('GET', `/api/v2/keys/signing/${current.kid}`)).json();
    assert.equal(revoked.revoked, true);
    assert.equal(revoked.previous, true);
    assert.equal(revoked.revoked_at, new Date(context.clock.now).toISOString());
    assert.ok(
      (await list()).some((key) => key.kid === current.kid && key.revoked),
      'revoked keys stay listed',
    );
    const jwks = (await call('GET', '/.well-known/jwks.json', {})).json().keys.map((key: { kid: string }) => key.kid);
    assert.ok(!jwks.includes(current.kid), 'a revoked key leaves the JWKS at once');
    expectError(
      await call('PUT', `/api/v2/keys/signing/${current.kid}/revoke`),
      400,
      'The signing key is already revoked.',
    );

    expectError(
      await call('PUT', '/api/v2/keys/signing/no-such-kid/revoke'),
      404,
      'Signing key not found.',
      'inexistent_signing_key',
    );
    expectError(
      await call('GET', '/api/v2/keys/signing/no-such-kid'),
      404,
      'Signing key not found.',
      'inexistent_signing_key',
    );
  });

  test('401 "Invalid token." for a missing, unknown or malformed credential', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: 'Bearer a.b.c' },
      { authorization: 'Basic Zm9vOmJhcg==' },
      { authorization: 'SSWS sgt_test-admin-token' },
    ];
    for (const headers of cases) {
      for (const [method, url] of [
        ['GET', '/api/v2/keys/signing'],
        ['GET', '/api/v2/keys/signing/x'],
        ['POST', '/api/v2/keys/signing/rotate'],
        ['PUT', '/api/v2/keys/signing/x/revoke'],
      ] as const) {
        expectError(await call(method, url, headers), 401, 'Invalid token.', 'invalid_token');
      }
    }
  });

  test("403 with Auth0's exact scope messages; rotate needs both create and update; Signet scopes stand for the vendor scopes", async () => {
    const readOnly = await apiTokenWith(context, ['read:signing_keys']);
    const createOnly = await apiTokenWith(context, ['create:signing_keys']);
    const updateOnly = await apiTokenWith(context, ['update:signing_keys']);
    const rotateMessage = 'Insufficient scope; expected create:signing_keys and update:signing_keys.';
    expectError(
      await call('GET', '/api/v2/keys/signing', createOnly),
      403,
      'Insufficient scope, expected any of: read:signing_keys',
      'insufficient_scope',
    );
    expectError(
      await call('GET', '/api/v2/keys/signing/x', updateOnly),
      403,
      'Insufficient scope, expected any of: read:signing_keys',
    );
    expectError(await call('POST', '/api/v2/keys/signing/rotate', readOnly), 403, rotateMessage);
    expectError(await call('POST', '/api/v2/keys/signing/rotate', createOnly), 403, rotateMessage);
    expectError(await call('POST', '/api/v2/keys/signing/rotate', updateOnly), 403, rotateMessage);
    expectError(
      await call('PUT', '/api/v2/keys/signing/x/revoke', readOnly),
      403,
      'Insufficient scope; expected any of: update:signing_keys.',
    );
    expectError(
      await call('PUT', '/api/v2/keys/signing/x/revoke', createOnly),
      403,
      'Insufficient scope; expected any of: update:signing_keys.',
    );
    assert.equal((await call('GET', '/api/v2/keys/signing', readOnly)).statusCode, 200);
    assert.equal((await list()).length, 2, 'no refused rotation changed anything');

    const nativeReader = await apiTokenWith(context, ['keys:read']);
    const nativeWriter = await apiTokenWith(context, ['keys:write']);
    assert.equal((await call('GET', '/api/v2/keys/signing', nativeReader)).statusCode, 200);
    expectError(await call('POST', '/api/v2/keys/signing/rotate', nativeReader), 403, rotateMessage);
    assert.equal((await call('POST', '/api/v2/keys/signing/rotate', nativeWriter)).statusCode, 201);
    assert.equal(
      (await call('POST', '/api/v2/keys/signing/rotate', context.admin)).statusCode,
      201,
      'the bootstrap admin uses every dialect',
    );
    // A vendor scope also opens the native API for the Signet scopes it stands for.
    assert.equal((await call('GET', '/signet/v1/key-sets', readOnly)).statusCode, 200);
    assert.equal((await call('GET', '/signet/v1/clients', readOnly)).statusCode, 403);
  });

  test("400s, 404s and 405s from the framework come out in Auth0's envelope", async () => {
    expectError(await call('GET', '/api/v2/keys/signing?page=1'), 400, /querystring/, 'invalid_query_string');
    expectError(await call('GET', `/api/v2/keys/signing/${'k'.repeat(300)}`), 400, /too long/, 'invalid_uri');
    expectError(
      await call('POST', '/api/v2/keys/signing/rotate', { ...admin, 'content-type': 'application/json' }, '{"x":'),
      400,
      /JSON/,
      'invalid_body',
    );
    expectError(
      await call('POST', '/api/v2/keys/signing/rotate', { ...admin, 'content-type': 'text/plain' }, 'x'),
      415,
      /Content-Type/,
    );
    expectError(
      await call(
        'POST',
        '/api/v2/keys/signing/rotate',
        { ...admin, 'content-type': 'application/json' },
        JSON.stringify({ x: 'y'.repeat(70_000) }),
      ),
      413,
      /too large/,
    );
    const wrongMethod = await call('DELETE', '/api/v2/keys/signing');
    expectError(wrongMethod, 405, /DELETE/, 'method_not_allowed');
    assert.equal(wrongMethod.headers.allow, 'GET');
    expectError(await call('GET', '/api/v2/keys/signing/rotate/extra'), 404, /no route/, 'not_found');
    expectError(await call('GET', '/api/v2/users'), 404, /no route/);
    assert.equal((await list()).length, 2, 'no refused request changed anything');
  });

  test("/pem, /cer, /rawpem, /pb7 and /fingerprint serve the current key's certificate with their content types", async () => {
    const current = (await list()).find((key) => key.current)!;
    const pem = await call('GET', '/pem', {});
    assert.equal(pem.statusCode, 200);
    assert.equal(pem.headers['content-type'], 'application/x-pem-file');
    assert.equal(pem.body, current.cert);
    const cer = await call('GET', '/cer', {});
    assert.equal(cer.headers['content-type'], 'application/pkix-cert');
    assert.match(String(cer.headers['content-disposition']), /attachment; filename="default.cer"/);
    assert.equal(new X509Certificate(cer.rawPayload).fingerprint, current.fingerprint);
    const raw = await call('GET', '/rawpem', {});
    assert.match(String(raw.headers['content-type']), /^text\/plain/);
    assert.equal(raw.body.replace(/\r\n/g, ''), cer.rawPayload.toString('base64'));
    const pb7 = await call('GET', '/pb7', {});
    assert.equal(pb7.headers['content-type'], 'application/x-pkcs7-certificates');
    assert.equal(pb7.body, current.pkcs7);
    const fingerprint = await call('GET', '/fingerprint', {});
    assert.match(String(fingerprint.headers['content-type']), /^text\/plain/);
    assert.equal(fingerprint.body, current.fingerprint);
    // After a rotation they follow the new current key.
    await call('POST', '/api/v2/keys/signing/rotate');
    const newCurrent = (await list()).find((key) => key.current)!;
    assert.equal((await call('GET', '/fingerprint', {})).body, newCurrent.fingerprint);
    assert.equal((await call('GET', '/t/nope/pem', {})).json().statusCode, 404);
  });
});

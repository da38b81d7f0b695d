import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';

const START = Date.UTC(2026, 0, 1);

describe('GET /signet/v1/key-sets/{id}/simulation', () => {
  let context: TestContext;
  let keySetId: string;
  beforeEach(async () => {
    context = await createTestContext({ startAt: START });
    keySetId = defaultKeySetId(context);
  });
  afterEach(() => context.close());

  const get = (query: string, headers: Record<string, string> = context.admin) =>
    context.app.inject({ method: 'GET', url: `/signet/v1/key-sets/${keySetId}/simulation?${query}`, headers });
  const jwksKids = async () =>
    (await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
      .json()
      .keys.map((k: { kid: string }) => k.kid);

  test('emergency rotate 10 s after bootstrap: every library, RFC 3339 windows, nothing changed', async () => {
    context.advance(10_000);
    const before = await jwksKids();
    const response = await get('action=emergency-rotate');
    assert.equal(response.statusCode, 200);
    const body = response.json();
    const at = new Date(START + 10_000).toISOString();
    assert.equal(body.action, 'emergency-rotate');
    assert.equal(body.at, at);
    const byLibrary = Object.fromEntries(body.verifiers.map((v: { library: string }) => [v.library, v]));
    assert.deepEqual(Object.keys(byLibrary), [
      'jose',
      'jwks-rsa',
      'pyjwt',
      'microsoft-identitymodel',
      'spring-nimbus',
      'go-oidc',
      'cache-control',
    ]);
    // The next key was published at START: jose's 30 s cooldown still covers a copy fetched just before.
    assert.deepEqual(byLibrary.jose.rejectsValidTokens, { from: at, until: new Date(START + 30_000).toISOString() });
    assert.deepEqual(byLibrary.jose.acceptsRevokedKey, { from: at, until: new Date(START + 610_000).toISOString() });
    assert.equal(byLibrary.pyjwt.rejectsValidTokens, null);
    assert.equal(typeof byLibrary['go-oidc'].model, 'string');
    assert.deepEqual(await jwksKids(), before);
  });

  test('revoke takes the kid; at in the future is honoured', async () => {
    const active = (
      await context.app.inject({ method: 'GET', url: `/signet/v1/key-sets/${keySetId}`, headers: context.admin })
    ).json();
    const at = new Date(START + 3_600_000).toISOString();
    const response = await get(`action=revoke&kid=${active.nextKid}&at=${encodeURIComponent(at)}`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().at, at);
    assert.ok(response.json().verifiers.every((v: { acceptsRevokedKey: unknown }) => v.acceptsRevokedKey !== null));
    assert.equal((await get(`action=revoke&kid=${active.activeKid}`)).json().error.code, 'ERR_KEY_ACTIVE');
  });

  test('bad input is a 400 in the native envelope', async () => {
    const cases: Array<[string, string]> = [
      ['', 'ERR_VALIDATION'],
      ['action=retire', 'ERR_VALIDATION'],
      ['action=revoke', 'ERR_VALIDATION'],
      ['action=rotate&kid=abc', 'ERR_VALIDATION'],
      ['action=rotate&at=yesterday', 'ERR_VALIDATION'],
      ['action=rotate&at=2026-01-01', 'ERR_VALIDATION'],
      [`action=rotate&at=${encodeURIComponent(new Date(START - 60_000).toISOString())}`, 'ERR_VALIDATION'],
      ['action=rotate&extra=1', 'ERR_VALIDATION'],
    ];
    for (const [query, code] of cases) {
      const response = await get(query);
      assert.equal(response.statusCode, 400, query);
      assert.equal(response.json().error.code, code, query);
    }
    const fields = (await get('action=rotate&at=yesterday')).json().error.details.fields;
    assert.deepEqual(fields, ['at']);
  });

  test('needs keys:read on the tenant; an unknown key set is 404', async () => {
    assert.equal((await get('action=rotate', {})).statusCode, 401);
    const token = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/api-tokens',
      headers: context.admin,
      payload: { name: 'auditor', scopes: ['audit:read'] },
    });
    const forbidden = await get('action=rotate', { authorization: `Bearer ${token.json().token}` });
    assert.equal(forbidden.statusCode, 403);
    const missing = await context.app.inject({
      method: 'GET',
      url: '/signet/v1/key-sets/ks_nope/simulation?action=rotate',
      headers: context.admin,
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'ERR_KEY_SET_NOT_FOUND');
  });

  test('the OpenAPI document describes the route', async () => {
    const doc = (await context.app.inject({ method: 'GET', url: '/signet/v1/openapi.json' })).json();
    const operation = doc.paths['/signet/v1/key-sets/{keySetId}/simulation']?.get;
    assert.ok(operation, Object.keys(doc.paths).join(' '));
    assert.ok(operation.parameters.some((p: { name: string }) => p.name === 'action'));
  });
});

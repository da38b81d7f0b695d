import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/create-test-context.ts';

describe('native API: identity providers', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = await createTestContext();
  });
  afterEach(() => context.close());

  const call = (
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = context.admin,
  ) => context.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  test('POST /signet/v1/identity-providers creates an IdP whose signing key set is navigable under /key-sets', async () => {
    const created = await call('POST', '/signet/v1/identity-providers', {
      id: 'corp-saml',
      type: 'SAML2',
      name: 'Corp',
      protocolType: 'SAML2',
      settings: { sso: 'https://idp.example/sso' },
    });
    assert.equal(created.statusCode, 201);
    const idp = created.json();
    assert.equal(idp.id, 'corp-saml');
    assert.equal(idp.status, 'ACTIVE');
    assert.deepEqual(idp.settings, { sso: 'https://idp.example/sso' });
    assert.match(idp.signingKeySetId, /^ks_/);

    const keySet = (await call('GET', `/signet/v1/key-sets/${idp.signingKeySetId}`)).json();
    assert.equal(keySet.ownerType, 'identityProvider');
    assert.equal(keySet.ownerId, 'corp-saml');
    assert.equal(keySet.policy.mode, 'MANUAL');
    assert.ok(keySet.activeKid);
    const owned = (await call('GET', '/signet/v1/key-sets?ownerType=identityProvider&ownerId=corp-saml')).json();
    assert.deepEqual(
      owned.items.map((set: { id: string }) => set.id),
      [idp.signingKeySetId],
    );

    assert.deepEqual((await call('GET', '/signet/v1/identity-providers/corp-saml')).json(), idp);
    assert.deepEqual(
      (await call('GET', '/signet/v1/identity-providers')).json().items.map((item: { id: string }) => item.id),
      ['corp-saml'],
    );
    const audit = (await call('GET', '/signet/v1/audit-events?action=identityProvider.created')).json();
    assert.equal(audit.items.length, 1);
  });

  test('unknown IdPs are 404, duplicate names 409, and the scopes are enforced', async () => {
    assert.equal(
      (await call('GET', '/signet/v1/identity-providers/nope')).json().error.code,
      'ERR_IDENTITY_PROVIDER_NOT_FOUND',
    );
    assert.equal(
      (await call('POST', '/signet/v1/identity-providers', { type: 'OIDC', name: 'Same', protocolType: 'OIDC' }))
        .statusCode,
      201,
    );
    const duplicate = await call('POST', '/signet/v1/identity-providers', {
      type: 'OIDC',
      name: 'Same',
      protocolType: 'OIDC',
    });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(
      (await call('POST', '/signet/v1/identity-providers', { type: 'saml 2', name: 'Bad', protocolType: 'SAML2' }))
        .statusCode,
      400,
    );

    const token = (
      await call('POST', '/signet/v1/api-tokens', { name: 'reader', scopes: ['identity-providers:read'] })
    ).json().token;
    const reader = { authorization: `Bearer ${token}` };
    assert.equal((await call('GET', '/signet/v1/identity-providers', undefined, reader)).statusCode, 200);
    const denied = await call(
      'POST',
      '/signet/v1/identity-providers',
      { type: 'OIDC', name: 'X', protocolType: 'OIDC' },
      reader,
    );
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.details.requiredScope, 'identity-providers:write');
  });

  test('the OpenAPI document describes the identity-provider routes with their scopes', async () => {
    const doc = (await call('GET', '/signet/v1/openapi.json', undefined, {})).json();
    assert.equal(doc.paths['/signet/v1/identity-providers'].post['x-required-scope'], 'identity-providers:write');
    assert.equal(
      doc.paths['/signet/v1/identity-providers/{identityProviderId}'].get['x-required-scope'],
      'identity-providers:read',
    );
    assert.ok(doc.paths['/signet/v1/identity-providers'].get.responses['200']);
  });
});

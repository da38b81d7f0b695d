import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  createTestContext,
  defaultKeySetId,
  type TestContext,
} from '../helpers/create-test-context.ts';

const tokenRequest = {
  method: 'POST' as const,
  url: '/oauth/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: ADMIN_CLIENT_ID,
    client_secret: ADMIN_CLIENT_SECRET,
  }).toString(),
};

describe('hot path', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = await createTestContext();
  });
  // The hot-path test closes the store itself; closing twice is harmless.
  afterEach(() => context.close().catch(() => undefined));

  test('JWKS, discovery and token requests read no database: they keep working with the store closed', async () => {
    await context.store.close();
    assert.equal((await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode, 200);
    assert.equal(
      (await context.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' })).statusCode,
      200,
    );
    assert.equal((await context.app.inject(tokenRequest)).statusCode, 200);
    const management = await context.app.inject({ method: 'GET', url: '/signet/v1/key-sets', headers: context.admin });
    assert.ok(management.statusCode >= 500, 'management calls do need the database');
    assert.ok(!management.body.includes('    at '));
  });

  test('no token is signed with a key whose certificate has expired', async () => {
    const signer = context.registry.getKeySetView(defaultKeySetId(context))!.signer!;
    context.clock.now = signer.certificateNotAfter;
    const response = await context.app.inject(tokenRequest);
    assert.equal(response.statusCode, 503);
    assert.equal(response.json().error, 'temporarily_unavailable');
    await context.scheduler.runOnce();
    assert.equal((await context.app.inject(tokenRequest)).statusCode, 200, 'the scheduler renewed the certificate');
  });
});

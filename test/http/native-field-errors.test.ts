import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';

// What the dashboard relies on to put an error next to its field and to show whether rotating is safe.
describe('native API: field-level errors and rotation safety', () => {
  let context: TestContext;
  let keySetId: string;
  beforeEach(async () => {
    context = await createTestContext();
    keySetId = defaultKeySetId(context);
  });
  afterEach(() => context.close());

  const patch = (policy: unknown) =>
    context.app.inject({
      method: 'PATCH',
      url: `/signet/v1/key-sets/${keySetId}`,
      headers: context.admin,
      payload: { policy } as object,
    });

  test('a schema violation inside the body names the field and its JSON Pointer', async () => {
    const response = await patch({ rotationPeriodSeconds: 1.5 });
    assert.equal(response.statusCode, 400);
    const { error } = response.json();
    assert.equal(error.code, 'ERR_VALIDATION');
    assert.deepEqual(error.details, {
      location: 'body',
      fields: ['rotationPeriodSeconds'],
      pointer: '/policy/rotationPeriodSeconds',
    });
  });

  test('an unknown or missing member is named too', async () => {
    const unknown = (await patch({ rotationPeriod: 60 })).json().error;
    assert.deepEqual(unknown.details, {
      location: 'body',
      fields: ['rotationPeriod'],
      pointer: '/policy/rotationPeriod',
    });
    const missing = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/api-tokens',
      headers: context.admin,
      payload: { scopes: ['keys:read'] },
    });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(missing.json().error.details, { location: 'body', fields: ['name'], pointer: '/name' });
  });

  test('a refusal for another tenant says so apart from a missing scope', async () => {
    const created = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/tenants',
      headers: context.admin,
      payload: { id: 'other' },
    });
    const otherToken = created.json().adminToken.token as string;
    const response = await context.app.inject({
      method: 'GET',
      url: '/signet/v1/key-sets',
      headers: { authorization: `Bearer ${otherToken}` },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().error.details.reason, 'otherTenant');
  });

  test('a key set says from when a rotation without force is safe, and rotating then succeeds', async () => {
    const keySet = (
      await context.app.inject({ method: 'GET', url: `/signet/v1/key-sets/${keySetId}`, headers: context.admin })
    ).json();
    assert.equal(keySet.rotationSafeAt, new Date(context.clock.now + (3600 + 300) * 1000).toISOString());
    const refused = await context.app.inject({
      method: 'POST',
      url: `/signet/v1/key-sets/${keySetId}/rotate`,
      headers: context.admin,
      payload: {},
    });
    assert.equal(refused.json().error.details.earliestSafeAt, keySet.rotationSafeAt);
    context.clock.now = Date.parse(keySet.rotationSafeAt);
    const rotated = await context.app.inject({
      method: 'POST',
      url: `/signet/v1/key-sets/${keySetId}/rotate`,
      headers: context.admin,
      payload: {},
    });
    assert.equal(rotated.statusCode, 200);
    assert.equal(
      rotated.json().keySet.rotationSafeAt,
      new Date(context.clock.now + (3600 + 300) * 1000).toISOString(),
      'the fresh next key starts a new wait',
    );
  });
});

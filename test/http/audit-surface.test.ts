import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';
import { apiTokenWith } from '../helpers/dialect-credentials.ts';

const DAY = 86_400_000;

let context: TestContext;
beforeEach(async () => {
  context = await createTestContext();
});
afterEach(() => context.close());

/** The audit events of the default tenant written since event id `after`. */
async function eventsSince(after: number) {
  const page = await context.services.audit.listAuditEvents('default', { limit: 1000 });
  return page.items.filter((event) => event.id > after);
}

async function lastEventId(): Promise<number> {
  const page = await context.services.audit.listAuditEvents('default', { limit: 1000 });
  return Math.max(0, ...page.items.map((event) => event.id));
}

/** Runs `change`, then returns the distinct `details.surface` of the events it wrote (at least one). */
async function surfacesOf(change: () => Promise<void>): Promise<unknown[]> {
  const before = await lastEventId();
  await change();
  const events = await eventsSince(before);
  assert.ok(events.length > 0, 'the change wrote audit events');
  return [...new Set(events.map((event) => event.details.surface))];
}

async function expectStatus(request: InjectOptions, status: number): Promise<void> {
  const response = await context.app.inject(request);
  assert.equal(response.statusCode, status, response.body);
}

test('every audit event records the surface it came through: native, each vendor dialect, the scheduler, the bootstrap', async () => {
  const keySetId = defaultKeySetId(context);
  const all = await context.services.audit.listAuditEvents('default', { limit: 1000 });
  assert.deepEqual([...new Set(all.items.map((event) => event.details.surface))], ['bootstrap']);

  assert.deepEqual(
    await surfacesOf(() =>
      expectStatus(
        {
          method: 'POST',
          url: `/signet/v1/key-sets/${keySetId}/rotate`,
          headers: context.admin,
          payload: { force: true },
        },
        200,
      ),
    ),
    ['native'],
  );
  assert.deepEqual(
    await surfacesOf(() =>
      expectStatus(
        { method: 'POST', url: '/signet/v1/clients', headers: context.admin, payload: { name: 'c', scopes: [] } },
        201,
      ),
    ),
    ['native'],
  );

  const onelogin = await apiTokenWith(context, ['manage_all']);
  assert.deepEqual(
    await surfacesOf(() => expectStatus({ method: 'POST', url: '/oidc/2/signing_keys', headers: onelogin }, 200)),
    ['onelogin'],
  );

  const auth0 = await apiTokenWith(context, ['read:signing_keys', 'create:signing_keys', 'update:signing_keys']);
  assert.deepEqual(
    await surfacesOf(() => expectStatus({ method: 'POST', url: '/api/v2/keys/signing/rotate', headers: auth0 }, 201)),
    ['auth0'],
  );

  const okta = await apiTokenWith(context, ['okta.authorizationServers.read', 'okta.authorizationServers.manage']);
  assert.deepEqual(
    await surfacesOf(() =>
      expectStatus(
        {
          method: 'POST',
          url: '/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate',
          headers: okta,
          payload: { use: 'sig' },
        },
        200,
      ),
    ),
    ['okta'],
  );

  // The AUTO rotation period (90 days) runs out: the scheduler rotates and retires.
  context.advance(91 * DAY);
  assert.deepEqual(await surfacesOf(() => context.scheduler.runOnce()), ['scheduler']);
});

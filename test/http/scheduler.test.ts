import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { dueTransitions } from '../../src/domain/compute-schedule.ts';
import { createScheduler } from '../../src/scheduler/create-scheduler.ts';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';

const DAY = 86_400_000;

const OPERATOR = {
  actor: { type: 'system' as const, id: 't', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'native' as const,
};

// Every test runs on both custodies: keys sealed in the database, and keys on a SoftHSM2 token.
for (const custody of ['sealed', 'pkcs11'] as const) {
  describe(`scheduler (${custody} custody)`, () => {
    let context: TestContext;
    beforeEach(async () => {
      context = await createTestContext({ custody });
    });
    afterEach(() => context.close());

    const keys = async (keySetId: string) => context.services.keys.listKeys('default', keySetId);

    test('AUTO rotates once the rotation period is over, publishes a fresh next key, and does it exactly once under concurrent passes', async () => {
      const keySetId = defaultKeySetId(context);
      const before = context.registry.getKeySetView(keySetId)!;
      const oldActive = before.signer!.kid;
      const oldNext = before.keys.find((k) => k.state === 'next')!.kid;

      context.advance(90 * DAY - 1000);
      await context.scheduler.runOnce();
      assert.equal(context.registry.getKeySetView(keySetId)!.signer!.kid, oldActive, 'not due yet');

      context.advance(1000);
      await Promise.all([
        context.scheduler.runOnce(),
        context.scheduler.runOnce(),
        context.services.keys.runDueTransitions(
          {
            actor: { type: 'scheduler', id: 'other', tenantId: null },
            requestId: null,
            sourceIp: null,
            surface: 'scheduler',
          },
          keySetId,
        ),
      ]);
      const after = await keys(keySetId);
      assert.equal(after.find((k) => k.kid === oldNext)!.state, 'active');
      assert.equal(after.find((k) => k.kid === oldActive)!.state, 'draining');
      assert.equal(after.filter((k) => k.state === 'next').length, 1);
      assert.equal(after.length, 3, 'exactly one rotation happened');
      const events = await context.services.audit.listAuditEvents('default', { keySetId, action: 'key.activated' });
      assert.equal(events.items.filter((e) => e.operation === 'schedule').length, 1);
      assert.equal(events.items[0]!.actor.type, 'scheduler');
    });

    test('a draining key retires after maxTokenLifetime + jwksMaxAge + clockSkew and leaves the JWKS', async () => {
      const keySetId = defaultKeySetId(context);
      context.advance(2 * 3600_000);
      const rotated = await context.services.keys.rotate(
        { actor: { type: 'system', id: 't', tenantId: null }, requestId: null, sourceIp: null, surface: 'native' },
        'default',
        keySetId,
        'safe',
      );
      const drained = rotated.changed.find((k) => k.state === 'draining')!;
      assert.equal(drained.retireAt, context.clock.now + (3600 + 3600 + 300) * 1000);

      context.advance((3600 + 3600 + 300) * 1000 - 1);
      await context.scheduler.runOnce();
      assert.equal((await keys(keySetId)).find((k) => k.kid === drained.kid)!.state, 'draining');
      context.advance(1);
      await context.scheduler.runOnce();
      assert.equal((await keys(keySetId)).find((k) => k.kid === drained.kid)!.state, 'retired');
      const jwks = (await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      assert.ok(!jwks.keys.some((k: { kid: string }) => k.kid === drained.kid));
    });

    test('the JWKS max-age never reaches past the next scheduled change', async () => {
      const keySetId = defaultKeySetId(context);
      context.advance(90 * DAY - 120_000);
      const response = await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.equal(response.headers['cache-control'], 'public, max-age=120, must-revalidate');
      assert.ok(context.registry.getKeySetView(keySetId));
    });

    test('certificates are renewed before they expire, keeping the kid', async () => {
      const keySetId = defaultKeySetId(context);
      await context.services.keys.updatePolicy(
        { actor: { type: 'system', id: 't', tenantId: null }, requestId: null, sourceIp: null, surface: 'native' },
        'default',
        keySetId,
        { mode: 'MANUAL' },
      );
      const before = await keys(keySetId);
      const active = before.find((k) => k.state === 'active')!;
      context.advance(active.certificateNotAfter - context.clock.now - 30 * DAY);
      await context.scheduler.runOnce();
      const renewed = (await keys(keySetId)).find((k) => k.kid === active.kid)!;
      assert.equal(renewed.state, 'active');
      assert.ok(renewed.certificateNotAfter > active.certificateNotAfter);
      assert.notEqual(renewed.certificateDer, active.certificateDer);
      const events = await context.services.audit.listAuditEvents('default', {
        kid: active.kid,
        action: 'key.certificateRenewed',
      });
      assert.equal(events.items.length, 1);
    });

    test('MANUAL mode never rotates by itself', async () => {
      const keySetId = defaultKeySetId(context);
      await context.services.keys.updatePolicy(
        { actor: { type: 'system', id: 't', tenantId: null }, requestId: null, sourceIp: null, surface: 'native' },
        'default',
        keySetId,
        { mode: 'MANUAL' },
      );
      const active = context.registry.getKeySetView(keySetId)!.signer!.kid;
      context.advance(200 * DAY);
      await context.scheduler.runOnce();
      assert.equal(context.registry.getKeySetView(keySetId)!.signer!.kid, active);
    });

    test("a scheduled rotation is served without a read and warms the key pool with the key set's certificate validity", async () => {
      const keySetId = defaultKeySetId(context);
      const validitySeconds = 2 * 365 * 86_400;
      await context.services.keys.updatePolicy(OPERATOR, 'default', keySetId, {
        certificateValiditySeconds: validitySeconds,
      });
      const oldNext = context.registry.getKeySetView(keySetId)!.keys.find((k) => k.state === 'next')!.kid;
      context.advance(91 * DAY);
      const reads = mock.method(context.store, 'read');
      const warms = mock.method(context.pool, 'warm');
      await context.scheduler.runOnce();

      const view = context.registry.getKeySetView(keySetId)!;
      assert.equal(view.signer!.kid, oldNext, 'the registry serves the rotation at once');
      assert.equal(reads.mock.callCount(), 0, 'the scheduler path reads nothing after its transaction');
      assert.deepEqual(
        warms.mock.calls.map((call) => call.arguments),
        [[view.keySet.alg, view.keySet.rsaModulusLength, validitySeconds]],
      );
      // The fresh next key took a pool spare whose certificate was made for the key set's validity.
      const fresh = view.keys.find((k) => k.state === 'next')!;
      assert.equal(fresh.certificateNotAfter - context.clock.now, validitySeconds * 1000);
    });

    test('a scheduler pass computes what is due once per due key set, and hands it to the key service', async () => {
      const keySetId = defaultKeySetId(context);
      const planner = mock.fn(dueTransitions);
      const scheduler = createScheduler({
        registry: context.registry,
        keys: context.services.keys,
        now: () => context.clock.now,
        intervalMs: 1000,
        dueTransitions: planner,
      });
      const runs = mock.method(context.services.keys, 'runDueTransitions');
      const oldActive = context.registry.getKeySetView(keySetId)!.signer!.kid;
      await scheduler.runOnce();
      assert.equal(planner.mock.callCount(), 0, 'nothing is due: no planning at all');

      context.advance(91 * DAY);
      await scheduler.runOnce();
      assert.equal(planner.mock.callCount(), 1);
      assert.equal(runs.mock.callCount(), 1);
      assert.deepEqual(runs.mock.calls[0]!.arguments[2], planner.mock.calls[0]!.result);
      assert.notEqual(context.registry.getKeySetView(keySetId)!.signer!.kid, oldActive, 'the pass rotated');
    });
  });
}

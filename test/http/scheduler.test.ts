import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';

const DAY = 86_400_000;

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
          { actor: { type: 'scheduler', id: 'other', tenantId: null }, requestId: null, sourceIp: null },
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
        { actor: { type: 'system', id: 't', tenantId: null }, requestId: null, sourceIp: null },
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
        { actor: { type: 'system', id: 't', tenantId: null }, requestId: null, sourceIp: null },
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
        { actor: { type: 'system', id: 't', tenantId: null }, requestId: null, sourceIp: null },
        'default',
        keySetId,
        { mode: 'MANUAL' },
      );
      const active = context.registry.getKeySetView(keySetId)!.signer!.kid;
      context.advance(200 * DAY);
      await context.scheduler.runOnce();
      assert.equal(context.registry.getKeySetView(keySetId)!.signer!.kid, active);
    });
  });
}

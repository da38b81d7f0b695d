import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSignetError } from '../errors.ts';
import { canTransition } from './transitions.ts';
import { planEmergencyRotate } from './plan-emergency-rotate.ts';
import { planImport } from './plan-import.ts';
import { planRevoke } from './plan-revoke.ts';
import { planRotate } from './plan-rotate.ts';
import { testKey, testPolicy } from '../../test/helpers/test-keys.ts';
import type { KeyState } from './types.ts';

const HOUR = 3600_000;
const policy = testPolicy();
const safeWindow = (policy.jwksMaxAgeSeconds + policy.clockSkewSeconds) * 1000;

describe('transitions', () => {
  const states: KeyState[] = ['next', 'active', 'draining', 'retired', 'revoked'];
  const edges = new Set(['next>active', 'next>revoked', 'active>draining', 'draining>retired', 'draining>revoked']);
  for (const from of states) {
    for (const to of states) {
      test(`${from} -> ${to} is ${edges.has(`${from}>${to}`) ? 'allowed' : 'refused'}`, () => {
        assert.equal(canTransition(from, to), edges.has(`${from}>${to}`));
      });
    }
  }
});

describe('planRotate', () => {
  const keys = [testKey('A', 'active', { activatedAt: 0 }), testKey('N', 'next', { publishedAt: 0 })];

  test('promotes next to active, drains active and asks for a fresh next key', () => {
    const now = safeWindow;
    const plan = planRotate({ keys, policy, now, mode: 'safe' });
    assert.equal(plan.newKeyState, 'next');
    const byKid = new Map(plan.updates.map((key) => [key.kid, key]));
    assert.equal(byKid.get('N')?.state, 'active');
    assert.equal(byKid.get('N')?.activatedAt, now);
    assert.equal(byKid.get('A')?.state, 'draining');
    assert.equal(byKid.get('A')?.drainingSince, now);
    assert.deepEqual(
      plan.changes.map((c) => `${c.kid}:${c.from}>${c.to}:${c.action}`),
      ['A:active>draining:key.draining', 'N:next>active:key.activated'],
    );
  });

  test('safe mode refuses a next key published for less than jwksMaxAge + clockSkew and names the earliest safe time', () => {
    const now = safeWindow - 1;
    assert.throws(
      () => planRotate({ keys, policy, now, mode: 'safe' }),
      (error) => {
        assert.ok(isSignetError(error, 'ERR_ROTATION_UNSAFE'));
        assert.equal(error.details?.earliestSafeAt, new Date(safeWindow).toISOString());
        return true;
      },
    );
  });

  test('safe mode also waits until copies cached under an earlier, longer max-age have expired', () => {
    const horizon = safeWindow + 3600_000;
    assert.throws(
      () => planRotate({ keys, policy, now: safeWindow, mode: 'safe', cacheHorizonAt: horizon }),
      (error) => {
        assert.ok(isSignetError(error, 'ERR_ROTATION_UNSAFE'));
        assert.equal(error.details?.earliestSafeAt, new Date(horizon + policy.clockSkewSeconds * 1000).toISOString());
        return true;
      },
    );
    assert.equal(
      planRotate({ keys, policy, now: horizon + policy.clockSkewSeconds * 1000, mode: 'safe', cacheHorizonAt: horizon })
        .newKeyState,
      'next',
    );
  });

  test('force and vendor modes rotate before the safe time', () => {
    for (const mode of ['force', 'vendor'] as const) {
      const plan = planRotate({ keys, policy, now: 1, mode });
      assert.equal(plan.updates.find((key) => key.kid === 'N')?.state, 'active');
    }
  });

  test('without a next key a fresh key becomes active at once (OneLogin semantics)', () => {
    const plan = planRotate({ keys: [testKey('A', 'active')], policy, now: HOUR, mode: 'vendor' });
    assert.equal(plan.newKeyState, 'active');
    assert.deepEqual(
      plan.updates.map((key) => [key.kid, key.state]),
      [['A', 'draining']],
    );
  });

  test('safe mode refuses to rotate without a next key', () => {
    assert.throws(
      () => planRotate({ keys: [testKey('A', 'active')], policy, now: HOUR, mode: 'safe' }),
      (error) => isSignetError(error, 'ERR_ROTATION_UNSAFE'),
    );
  });

  test('the drained key retires after the draining window and the promoted key gets the policy ceiling', () => {
    const now = 10 * HOUR;
    const plan = planRotate({ keys, policy: testPolicy({ maxTokenLifetimeSeconds: 1800 }), now, mode: 'safe' });
    const drained = plan.updates.find((key) => key.kid === 'A')!;
    assert.equal(drained.retireAt, now + policy.drainingPeriodSeconds * 1000);
    assert.equal(plan.updates.find((key) => key.kid === 'N')?.tokenLifetimeCeilingSeconds, 1800);
  });
});

describe('planRevoke', () => {
  const keys = [testKey('D', 'draining'), testKey('A', 'active'), testKey('N', 'next'), testKey('R', 'retired')];

  test('revokes a draining key without a replacement', () => {
    const plan = planRevoke({ keys, kid: 'D', now: 5 });
    assert.equal(plan.newKeyState, null);
    assert.deepEqual(
      plan.updates.map((key) => [key.kid, key.state, key.revokedAt]),
      [['D', 'revoked', 5]],
    );
    assert.equal(plan.changes[0]?.action, 'key.revoked');
  });

  test('revokes a next key and asks for a replacement', () => {
    const plan = planRevoke({ keys, kid: 'N', now: 5 });
    assert.equal(plan.newKeyState, 'next');
    assert.equal(plan.updates[0]?.state, 'revoked');
  });

  test('refuses the active key', () => {
    assert.throws(
      () => planRevoke({ keys, kid: 'A', now: 5 }),
      (error) => isSignetError(error, 'ERR_KEY_ACTIVE'),
    );
  });

  test('refuses a retired key as an invalid transition', () => {
    assert.throws(
      () => planRevoke({ keys, kid: 'R', now: 5 }),
      (error) => isSignetError(error, 'ERR_INVALID_TRANSITION'),
    );
  });

  test('an unknown kid is not found', () => {
    assert.throws(
      () => planRevoke({ keys, kid: 'nope', now: 5 }),
      (error) => isSignetError(error, 'ERR_KEY_NOT_FOUND'),
    );
  });
});

describe('planEmergencyRotate', () => {
  test('promotes next at once and revokes the old active key through draining', () => {
    const keys = [testKey('A', 'active'), testKey('N', 'next', { publishedAt: 10 })];
    const plan = planEmergencyRotate({ keys, policy, now: 11 });
    assert.equal(plan.newKeyState, 'next');
    // Written in order: the old key drains before the next key takes the active slot, then is revoked.
    assert.deepEqual(
      plan.updates.map((key) => `${key.kid}:${key.state}`),
      ['A:draining', 'N:active', 'A:revoked'],
    );
    assert.equal(plan.updates[2]!.revokedAt, 11);
    assert.deepEqual(
      plan.changes.map((c) => `${c.kid}:${c.from}>${c.to}`),
      ['A:active>draining', 'N:next>active', 'A:draining>revoked'],
    );
  });

  test('without a next key a fresh key becomes active', () => {
    const plan = planEmergencyRotate({ keys: [testKey('A', 'active')], policy, now: 11 });
    assert.equal(plan.newKeyState, 'active');
    assert.deepEqual(
      plan.updates.map((key) => key.state),
      ['draining', 'revoked'],
    );
  });
});

describe('planImport', () => {
  test('an empty key set gets the imported key as active', () => {
    assert.equal(planImport({ keys: [], now: 1 }).newKeyState, 'active');
  });

  test('a key set with an active key gets it as next', () => {
    const plan = planImport({ keys: [testKey('A', 'active')], now: 1 });
    assert.equal(plan.newKeyState, 'next');
    assert.equal(plan.updates.length, 0);
  });

  test('an unused next key is revoked to make room (I2)', () => {
    const plan = planImport({ keys: [testKey('A', 'active'), testKey('N', 'next')], now: 1 });
    assert.equal(plan.newKeyState, 'next');
    assert.deepEqual(
      plan.updates.map((key) => [key.kid, key.state]),
      [['N', 'revoked']],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSignetError } from '../errors.ts';
import { planRotationScenario } from './plan-rotation-scenario.ts';
import { simulateRotation } from './simulate-rotation.ts';
import { testKey, testPolicy } from '../../test/helpers/test-keys.ts';
import type { Key, RotationPolicy } from './types.ts';
import type { ExposureWindow, VerifierLibrary } from './verifiers/verifier-model.ts';
import { joseModel } from './verifiers/jose-model.ts';
import { jwksRsaModel } from './verifiers/jwks-rsa-model.ts';
import { microsoftIdentityModelModel } from './verifiers/microsoft-identitymodel-model.ts';
import { pyjwtModel } from './verifiers/pyjwt-model.ts';

const NOW = Date.UTC(2026, 0, 10);
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A is active since 10 days, N next since as long, D draining since a minute. */
function keySet(fields: { nextPublishedAt?: number; activatedAt?: number } = {}): Key[] {
  const activatedAt = fields.activatedAt ?? NOW - 10 * DAY;
  return [
    testKey('A', 'active', { activatedAt, publishedAt: activatedAt - DAY }),
    testKey('N', 'next', { publishedAt: fields.nextPublishedAt ?? activatedAt }),
    testKey('D', 'draining', { drainingSince: NOW - MIN, retireAt: NOW + 2 * HOUR }),
  ];
}

type Verdicts = Record<VerifierLibrary, [ExposureWindow | null, ExposureWindow | null]>;

function verdicts(options: {
  keys: Key[];
  action: 'rotate' | 'emergency-rotate' | 'revoke';
  kid?: string;
  at?: number;
  policy?: RotationPolicy;
  cacheHorizonAt?: number | null;
}): Verdicts {
  const result = simulateRotation({
    keys: options.keys,
    policy: options.policy ?? testPolicy(),
    cacheHorizonAt: options.cacheHorizonAt ?? null,
    now: NOW,
    action: options.action,
    kid: options.kid ?? null,
    at: options.at ?? NOW,
  });
  return Object.fromEntries(
    result.verifiers.map((v) => [v.library, [v.rejectsValidTokens, v.acceptsRevokedKey]]),
  ) as Verdicts;
}

const w = (from: number, until: number | null): ExposureWindow => ({ from, until });

describe('simulateRotation: every model, every action (clock injected)', () => {
  test('rotate onto a next key published 10 days ago: nobody rejects, nothing is revoked', () => {
    const result = verdicts({ keys: keySet(), action: 'rotate' });
    for (const [library, verdict] of Object.entries(result)) assert.deepEqual(verdict, [null, null], library);
  });

  test('rotate onto a next key published 10 s ago: cooldowns and Cache-Control reject until the copy may go', () => {
    const published = NOW - 10 * S;
    assert.deepEqual(verdicts({ keys: keySet({ nextPublishedAt: published }), action: 'rotate' }), {
      jose: [w(NOW, published + 30 * S), null],
      'jwks-rsa': [null, null],
      pyjwt: [null, null],
      'microsoft-identitymodel': [w(NOW, published + 5 * MIN), null],
      'spring-nimbus': [null, null],
      'go-oidc': [null, null],
      'cache-control': [w(NOW, published + HOUR), null],
    });
  });

  test('rotate with no next key: the fresh key is unknown to every copy fetched before it', () => {
    const keys = keySet().filter((key) => key.state !== 'next');
    const result = verdicts({ keys, action: 'rotate' });
    assert.deepEqual(result.jose, [w(NOW, NOW + 30 * S), null]);
    assert.deepEqual(result['microsoft-identitymodel'], [w(NOW, NOW + 5 * MIN), null]);
    assert.deepEqual(result['cache-control'], [w(NOW, NOW + HOUR), null]);
    assert.deepEqual(result['go-oidc'], [null, null]);
  });

  test('emergency rotate: the compromised key stays trusted for as long as each cache keeps it', () => {
    // After the rotation the next key published at NOW signs at the AUTO rotation 90 days on.
    assert.deepEqual(verdicts({ keys: keySet(), action: 'emergency-rotate' }), {
      jose: [null, w(NOW, NOW + 10 * MIN)],
      'jwks-rsa': [null, w(NOW, NOW + 10 * MIN)],
      pyjwt: [null, w(NOW, NOW + 5 * MIN)],
      'microsoft-identitymodel': [null, w(NOW, NOW + 13 * HOUR)],
      'spring-nimbus': [null, w(NOW, NOW + 5 * MIN)],
      'go-oidc': [null, w(NOW, NOW + 90 * DAY)],
      'cache-control': [null, w(NOW, NOW + HOUR)],
    });
  });

  test('emergency rotate onto a fresh key: its unknown kid forces refetches that drop the revoked key', () => {
    const keys = keySet().filter((key) => key.state !== 'next');
    const result = verdicts({ keys, action: 'emergency-rotate' });
    assert.deepEqual(result.jose, [w(NOW, NOW + 30 * S), w(NOW, NOW + 30 * S)]);
    assert.deepEqual(result.pyjwt, [null, null]);
    assert.deepEqual(result['go-oidc'], [null, null]);
    assert.deepEqual(result['microsoft-identitymodel'], [w(NOW, NOW + 5 * MIN), w(NOW, NOW + 5 * MIN)]);
    // jwks-rsa memoises per kid: fetching the new kid does not evict the revoked one.
    assert.deepEqual(result['jwks-rsa'], [null, w(NOW, NOW + 10 * MIN)]);
    assert.deepEqual(result['cache-control'], [w(NOW, NOW + HOUR), w(NOW, NOW + HOUR)]);
  });

  test('emergency rotate in MANUAL mode: go-oidc trusts the revoked key until it restarts', () => {
    const result = verdicts({ keys: keySet(), action: 'emergency-rotate', policy: testPolicy({ mode: 'MANUAL' }) });
    assert.deepEqual(result['go-oidc'], [null, w(NOW, null)]);
  });

  test('revoke a draining key: go-oidc drops it when a key published after the revocation first signs', () => {
    // N (published before) activates at A's period end; the key published then signs 90 days later.
    const result = verdicts({ keys: keySet(), action: 'revoke', kid: 'D' });
    assert.deepEqual(result, {
      jose: [null, w(NOW, NOW + 10 * MIN)],
      'jwks-rsa': [null, w(NOW, NOW + 10 * MIN)],
      pyjwt: [null, w(NOW, NOW + 5 * MIN)],
      'microsoft-identitymodel': [null, w(NOW, NOW + 13 * HOUR)],
      'spring-nimbus': [null, w(NOW, NOW + 5 * MIN)],
      'go-oidc': [null, w(NOW, NOW + 170 * DAY)],
      'cache-control': [null, w(NOW, NOW + HOUR)],
    });
  });

  test('revoke the next key: its replacement, published now, signs at the next AUTO rotation', () => {
    const result = verdicts({ keys: keySet(), action: 'revoke', kid: 'N' });
    assert.deepEqual(result['go-oidc'], [null, w(NOW, NOW + 80 * DAY)]);
    assert.deepEqual(result.jose, [null, w(NOW, NOW + 10 * MIN)]);
  });

  test('Cache-Control: a copy served just before a scheduled change expires with it', () => {
    // A's period ends in 1 h: the max-age served now is 1 h; a revocation 30 min before that is
    // covered by copies that expire at the rotation, 30 min later.
    const keys = keySet({ activatedAt: NOW - 90 * DAY + HOUR });
    const result = verdicts({ keys, action: 'revoke', kid: 'D', at: NOW + 30 * MIN });
    assert.deepEqual(result['cache-control'], [null, w(NOW + 30 * MIN, NOW + HOUR)]);
  });

  test('replays the schedule up to at: a rotation just after a scheduled one meets a next key published then', () => {
    const keys = keySet({ activatedAt: NOW - 90 * DAY + DAY });
    const scheduledAt = NOW + DAY;
    const soon = verdicts({ keys, action: 'rotate', at: scheduledAt + 10 * S });
    assert.deepEqual(soon.jose, [w(scheduledAt + 10 * S, scheduledAt + 30 * S), null]);
    // Copies served before the scheduled rotation expired with it, so Cache-Control verifiers have the key.
    assert.deepEqual(soon['cache-control'], [null, null]);
    const later = verdicts({ keys, action: 'rotate', at: scheduledAt + MIN });
    assert.deepEqual(later.jose, [null, null]);
  });

  test('copies cached under an earlier, longer max-age (the cache horizon) stretch Cache-Control', () => {
    const horizon = NOW + 2 * HOUR;
    const rotate = verdicts({ keys: keySet(), action: 'rotate', cacheHorizonAt: horizon });
    assert.deepEqual(rotate['cache-control'], [w(NOW, horizon), null]);
    const emergency = verdicts({ keys: keySet(), action: 'emergency-rotate', cacheHorizonAt: horizon });
    // Signet's own rule waits for the horizon whenever the next key was published (earliestActivation).
    assert.deepEqual(emergency['cache-control'], [w(NOW, horizon), w(NOW, horizon)]);
  });

  test('models take the libraries settings: short jose cache, jwks-rsa rate limit, PyJWT lifespan, IdentityModel intervals', () => {
    const published = NOW - 10 * S;
    const models = [
      joseModel({ cacheMaxAge: 5000, cooldownDuration: 20_000 }),
      jwksRsaModel({ rateLimit: true, cacheMaxAge: 1000 }),
      pyjwtModel({ lifespan: 60 }),
      microsoftIdentityModelModel({ automaticRefreshIntervalSeconds: 3600, refreshIntervalSeconds: 1 }),
    ];
    const base = { policy: testPolicy(), cacheHorizonAt: null, now: NOW, kid: null, at: NOW, models };
    const rotate = simulateRotation({ ...base, keys: keySet({ nextPublishedAt: published }), action: 'rotate' });
    assert.deepEqual(
      rotate.verifiers.map((v) => v.rejectsValidTokens),
      [null, w(NOW, NOW + MIN), null, null],
    );
    const emergency = simulateRotation({ ...base, keys: keySet(), action: 'emergency-rotate' });
    assert.deepEqual(
      emergency.verifiers.map((v) => v.acceptsRevokedKey),
      [w(NOW, NOW + 5 * S), w(NOW, NOW + S), w(NOW, NOW + MIN), w(NOW, NOW + 2 * HOUR)],
    );
  });

  test('answers every library, each with the model it used', () => {
    const result = simulateRotation({
      keys: keySet(),
      policy: testPolicy(),
      cacheHorizonAt: null,
      now: NOW,
      action: 'rotate',
      kid: null,
      at: NOW,
    });
    assert.deepEqual(
      result.verifiers.map((v) => v.library),
      ['jose', 'jwks-rsa', 'pyjwt', 'microsoft-identitymodel', 'spring-nimbus', 'go-oidc', 'cache-control'],
    );
    assert.ok(result.verifiers.every((v) => v.model.length > 0));
    assert.equal(result.at, NOW);
  });
});

describe('planRotationScenario refuses what cannot be simulated', () => {
  const base = { keys: keySet(), policy: testPolicy(), cacheHorizonAt: null, now: NOW, kid: null, at: NOW };
  const refused = (options: Partial<Parameters<typeof planRotationScenario>[0]>, code: string, fields?: string[]) =>
    assert.throws(
      () => planRotationScenario({ ...base, action: 'rotate', ...options }),
      (error: unknown) =>
        isSignetError(error) &&
        error.code === code &&
        (fields === undefined || JSON.stringify(error.details?.fields) === JSON.stringify(fields)),
    );

  test('a time in the past or more than 366 days ahead', () => {
    refused({ at: NOW - 1 }, 'ERR_VALIDATION', ['at']);
    refused({ at: NOW + 367 * DAY }, 'ERR_VALIDATION', ['at']);
    refused({ at: Number.NaN }, 'ERR_VALIDATION', ['at']);
  });

  test('revoke without a kid, a kid with another action, an unknown action', () => {
    refused({ action: 'revoke' }, 'ERR_VALIDATION', ['kid']);
    refused({ action: 'emergency-rotate', kid: 'D' }, 'ERR_VALIDATION', ['kid']);
    refused({ action: 'retire' as never }, 'ERR_VALIDATION', ['action']);
  });

  test('what the action itself would refuse: the active key, an unknown kid', () => {
    refused({ action: 'revoke', kid: 'A' }, 'ERR_KEY_ACTIVE');
    refused({ action: 'revoke', kid: 'nope' }, 'ERR_KEY_NOT_FOUND');
  });

  test('a key set without keys', () => {
    refused({ keys: [] }, 'ERR_KEY_SET_NOT_INITIALISED');
  });
});

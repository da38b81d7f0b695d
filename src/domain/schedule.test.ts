import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPolicyChange } from './apply-policy-change.ts';
import { computeRetireAt } from './compute-retire-at.ts';
import { jwksMaxAgeSeconds, nextChangeAt } from './jwks-max-age.ts';
import { dueTransitions, expiringExternalCertificates, computeSchedule } from './compute-schedule.ts';
import { testKey, testPolicy } from '../../test/helpers/test-keys.ts';

const DAY = 86_400_000;
const policy = testPolicy();

describe('computeSchedule', () => {
  test('AUTO rotates one rotation period after activation', () => {
    const keys = [testKey('A', 'active', { activatedAt: 0 }), testKey('N', 'next', { publishedAt: 0 })];
    const rotate = computeSchedule(keys, policy).find((t) => t.action === 'rotate');
    assert.deepEqual(rotate, { at: 90 * DAY, action: 'rotate', kid: 'A' });
  });

  test('AUTO never activates a next key before it was published for jwksMaxAge + clockSkew', () => {
    const publishedAt = 90 * DAY - 1000;
    const keys = [testKey('A', 'active', { activatedAt: 0 }), testKey('N', 'next', { publishedAt })];
    const rotate = computeSchedule(keys, policy).find((t) => t.action === 'rotate');
    assert.equal(rotate?.at, publishedAt + (3600 + 300) * 1000);
  });

  test('AUTO waits for JWKS copies cached under an earlier, longer max-age (the cache horizon)', () => {
    const keys = [testKey('A', 'active', { activatedAt: 0 }), testKey('N', 'next', { publishedAt: 0 })];
    const horizon = 90 * DAY + 3600_000;
    const rotate = computeSchedule(keys, policy, horizon).find((t) => t.action === 'rotate');
    assert.equal(rotate?.at, horizon + 300_000);
  });

  test('MANUAL plans no rotation but still retires and renews', () => {
    const keys = [
      testKey('A', 'active'),
      testKey('N', 'next'),
      testKey('D', 'draining', { drainingSince: 0, retireAt: DAY }),
    ];
    const actions = computeSchedule(keys, testPolicy({ mode: 'MANUAL' })).map((t) => t.action);
    assert.ok(!actions.includes('rotate'));
    assert.ok(actions.includes('retire'));
    assert.ok(actions.includes('renewCertificate'));
  });

  test('a missing next key is generated at once', () => {
    const schedule = computeSchedule([testKey('A', 'active', { activatedAt: 5 })], policy);
    assert.deepEqual(dueTransitions(schedule, 5), [{ at: 5, action: 'generateNext', kid: null }]);
  });

  test('certificates of published keys renew certificateRenewBefore ahead of expiry; retired and revoked keys are left alone', () => {
    const notAfter = 400 * DAY;
    const keys = [
      testKey('A', 'active', { certificateNotAfter: notAfter }),
      testKey('N', 'next', { certificateNotAfter: notAfter }),
      testKey('R', 'retired', { certificateNotAfter: 1 }),
      testKey('X', 'revoked', { certificateNotAfter: 1 }),
    ];
    const renewals = computeSchedule(keys, policy).filter((t) => t.action === 'renewCertificate');
    assert.deepEqual(
      renewals.map((t) => [t.kid, t.at]),
      [
        ['A', notAfter - 30 * DAY],
        ['N', notAfter - 30 * DAY],
      ],
    );
  });

  test("a CA-issued certificate is never renewed: the schedule shows its expiry instead, while Signet's own still renew", () => {
    const notAfter = 400 * DAY;
    const keys = [
      testKey('A', 'active', { certificateNotAfter: notAfter, certificateIssuer: 'external' }),
      testKey('N', 'next', { certificateNotAfter: notAfter, certificateIssuer: 'signet' }),
      testKey('D', 'draining', { retireAt: 399 * DAY, certificateNotAfter: notAfter, certificateIssuer: 'external' }),
    ];
    const schedule = computeSchedule(keys, policy);
    assert.deepEqual(
      schedule.filter((t) => t.action === 'renewCertificate').map((t) => [t.kid, t.at]),
      [['N', notAfter - 30 * DAY]],
    );
    assert.deepEqual(
      schedule.filter((t) => t.action === 'certificateExpires').map((t) => [t.kid, t.at]),
      [
        ['A', notAfter],
        ['D', notAfter],
      ],
    );
    // Nothing the scheduler carries out concerns the CA certificates, even long after they expired.
    const due = dueTransitions(schedule, notAfter + 365 * DAY)
      .map((t) => `${t.action} ${t.kid}`)
      .sort();
    assert.deepEqual(due, ['renewCertificate N', 'retire D', 'rotate A']);
  });

  test("an external certificate's expiry neither cuts the JWKS max-age nor wakes the scheduler", () => {
    const keys = [
      testKey('A', 'active', { activatedAt: 0, certificateNotAfter: 10 * DAY, certificateIssuer: 'external' }),
      testKey('N', 'next', { publishedAt: 0 }),
    ];
    const schedule = computeSchedule(keys, policy);
    assert.equal(schedule[0]?.action, 'certificateExpires');
    // The rotation is the first change; the expired CA certificate does not drive max-age to 0.
    assert.equal(nextChangeAt(schedule), 90 * DAY);
    assert.equal(jwksMaxAgeSeconds(policy, nextChangeAt(schedule), 20 * DAY), 3600);
  });

  test('an external certificate is reported as expiring from certificateRenewBefore ahead of its notAfter', () => {
    const keys = [
      testKey('A', 'active', { certificateNotAfter: 400 * DAY, certificateIssuer: 'external' }),
      testKey('N', 'next'),
    ];
    const schedule = computeSchedule(keys, policy);
    assert.deepEqual(expiringExternalCertificates(schedule, policy, 370 * DAY - 1), []);
    assert.deepEqual(expiringExternalCertificates(schedule, policy, 370 * DAY), [
      { at: 400 * DAY, action: 'certificateExpires', kid: 'A' },
    ]);
    assert.deepEqual(
      expiringExternalCertificates(schedule, policy, 500 * DAY).map((t) => t.kid),
      ['A'],
    );
  });

  test('a draining key that retires before its renewal time gets no renewal', () => {
    const keys = [testKey('D', 'draining', { retireAt: DAY, certificateNotAfter: 400 * DAY })];
    assert.deepEqual(
      computeSchedule(keys, policy).map((t) => t.action),
      ['retire'],
    );
  });

  test('the schedule is sorted soonest first and dueTransitions keeps only what is due', () => {
    const keys = [
      testKey('A', 'active', { activatedAt: 0 }),
      testKey('N', 'next'),
      testKey('D1', 'draining', { retireAt: 3 * DAY }),
      testKey('D2', 'draining', { retireAt: DAY }),
    ];
    const schedule = computeSchedule(keys, policy);
    assert.deepEqual(
      schedule.map((t) => t.at),
      [...schedule.map((t) => t.at)].sort((a, b) => a - b),
    );
    assert.deepEqual(
      dueTransitions(schedule, 2 * DAY).map((t) => t.kid),
      ['D2'],
    );
  });
});

describe('JWKS max-age', () => {
  test('is jwksMaxAge when nothing is scheduled sooner', () => {
    assert.equal(jwksMaxAgeSeconds(policy, null, 0), 3600);
    assert.equal(jwksMaxAgeSeconds(policy, 10 * DAY, 0), 3600);
  });

  test('shrinks to the time left before the next scheduled change, and never goes negative', () => {
    assert.equal(jwksMaxAgeSeconds(policy, 120_500, 0), 120);
    assert.equal(jwksMaxAgeSeconds(policy, 0, 5000), 0);
  });

  test('nextChangeAt is the first planned transition', () => {
    assert.equal(nextChangeAt([]), null);
    assert.equal(nextChangeAt([{ at: 7, action: 'retire', kid: 'x' }]), 7);
  });
});

describe('retirement', () => {
  test('waits for the draining period', () => {
    assert.equal(computeRetireAt(testKey('A', 'active'), policy, 1000), 1000 + policy.drainingPeriodSeconds * 1000);
  });

  test('waits for the longest token the key may have signed, even after the policy was lowered', () => {
    const key = testKey('A', 'active', { tokenLifetimeCeilingSeconds: 86_400 });
    assert.equal(computeRetireAt(key, policy, 0), (86_400 + 3600 + 300) * 1000);
  });

  test('raising maxTokenLifetime raises the active key ceiling and pushes draining retirements later, never earlier', () => {
    const active = testKey('A', 'active', { tokenLifetimeCeilingSeconds: 3600 });
    const draining = testKey('D', 'draining', { drainingSince: 0, retireAt: 7500_000 });
    const raised = testPolicy({ maxTokenLifetimeSeconds: 7200, drainingPeriodSeconds: 7200 + 3900 });
    const updated = applyPolicyChange([active, draining], raised, policy);
    assert.equal(updated.find((k) => k.kid === 'A')?.tokenLifetimeCeilingSeconds, 7200);
    assert.equal(updated.find((k) => k.kid === 'D')?.retireAt, (7200 + 3900) * 1000);
    const lowered = testPolicy({ maxTokenLifetimeSeconds: 60, drainingPeriodSeconds: 60 + 3900 });
    assert.deepEqual(applyPolicyChange([active, draining], lowered, policy), []);
  });

  test('lowering drainingPeriod, jwksMaxAge or clockSkew never shortens what the active key already promised', () => {
    const active = testKey('A', 'active', { tokenLifetimeCeilingSeconds: 3600 });
    const long = testPolicy({ drainingPeriodSeconds: 7 * 86_400 });
    const promised = computeRetireAt(active, long, 0);
    const short = testPolicy({
      drainingPeriodSeconds: 600,
      jwksMaxAgeSeconds: 0,
      clockSkewSeconds: 0,
      maxTokenLifetimeSeconds: 600,
    });
    const [raised] = applyPolicyChange([active], short, long);
    assert.ok(raised, 'the active key is updated');
    assert.ok(computeRetireAt(raised, short, 0) >= promised, 'its retirement under the new policy is no earlier');
    assert.equal(computeRetireAt(raised, short, 0), promised);
  });
});

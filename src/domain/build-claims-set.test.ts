import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testPolicy } from '../../test/helpers/test-keys.ts';
import { isSignetError } from '../errors.ts';
import { buildClaimsSet } from './build-claims-set.ts';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0, 400);
const NOW_SECONDS = Math.floor(NOW / 1000);
const base = {
  expiresInSeconds: 600,
  issuer: 'https://issuer.example',
  policy: testPolicy(),
  key: { tokenLifetimeCeilingSeconds: 3600 },
  reservedAudiences: ['urn:signet:management'],
  now: NOW,
};

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return isSignetError(error) ? error.code : 'not a SignetError';
  }
  return undefined;
};

describe('buildClaimsSet', () => {
  test('sets iss, iat and exp, keeps every other claim, and promises the retention from now', () => {
    const set = buildClaimsSet({ ...base, claims: { sub: 'u', aud: ['a'], nested: { x: 1 } } });
    assert.deepEqual(set.payload, {
      sub: 'u',
      aud: ['a'],
      nested: { x: 1 },
      iss: 'https://issuer.example',
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 600,
    });
    assert.equal(set.verifiableUntil, NOW + base.policy.drainingPeriodSeconds * 1000);
  });

  test('verifiableUntil is never before exp + clockSkew, for every allowed lifetime and ceiling', () => {
    for (const ceiling of [1, 3600, 86_400])
      for (const lifetime of [1, 1800, 3600]) {
        const policy = testPolicy({ drainingPeriodSeconds: 3600 + 3900 });
        const set = buildClaimsSet({
          ...base,
          policy,
          key: { tokenLifetimeCeilingSeconds: ceiling },
          claims: { exp: NOW_SECONDS + lifetime },
        });
        assert.ok(set.verifiableUntil >= (set.expiresAt + policy.clockSkewSeconds) * 1000, `${ceiling}/${lifetime}`);
      }
  });

  test('refuses what the contract refuses, with stable codes', () => {
    const refuse = (claims: unknown, extra: Partial<typeof base> = {}) =>
      codeOf(() => buildClaimsSet({ ...base, ...extra, claims }));
    assert.equal(refuse({ exp: NOW_SECONDS + 3601 }), 'ERR_TOKEN_LIFETIME_TOO_LONG');
    assert.equal(refuse({}, { expiresInSeconds: 3601 }), 'ERR_TOKEN_LIFETIME_TOO_LONG');
    assert.equal(refuse({ exp: NOW_SECONDS + 3600 }), undefined, 'exactly the maximum');
    for (const claims of [
      null,
      [],
      'x',
      { exp: '1' },
      { nbf: NOW_SECONDS + 700 },
      { iss: 'other' },
      { iat: NOW_SECONDS - 301 },
    ])
      assert.equal(refuse(claims), 'ERR_VALIDATION', JSON.stringify(claims));
    assert.equal(refuse({ aud: ['x', 'urn:signet:management'] }), 'ERR_VALIDATION');
    assert.equal(refuse({ iat: NOW_SECONDS - 300, iss: 'https://issuer.example' }), undefined);
  });
});

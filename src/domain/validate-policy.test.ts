import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSignetError } from '../errors.ts';
import { testPolicy } from '../../test/helpers/test-keys.ts';
import { validatePolicy } from './validate-policy.ts';

function assertConflict(fields: Parameters<typeof testPolicy>[0], code: string, named: string[]): void {
  assert.throws(
    () => validatePolicy(testPolicy(fields)),
    (error) => {
      assert.ok(isSignetError(error));
      assert.equal(error.code, code);
      for (const field of named) {
        assert.ok((error.details?.fields as string[] | undefined)?.includes(field) === true, `names ${field}`);
        assert.match(error.message, new RegExp(field));
      }
      return true;
    },
  );
}

describe('validatePolicy', () => {
  test('accepts the defaults', () => {
    assert.deepEqual(validatePolicy(testPolicy()), testPolicy());
  });

  test('refuses a maxTokenLifetime longer than the draining window and names both values', () => {
    assertConflict({ maxTokenLifetimeSeconds: 7200 }, 'ERR_POLICY_CONFLICT', [
      'drainingPeriodSeconds',
      'maxTokenLifetimeSeconds',
    ]);
    assert.throws(() => validatePolicy(testPolicy({ maxTokenLifetimeSeconds: 7200 })), /\(7500\).*\(7200\)/);
  });

  test('refuses a rotation period shorter than the cache window', () => {
    assertConflict({ rotationPeriodSeconds: 600 }, 'ERR_POLICY_CONFLICT', [
      'rotationPeriodSeconds',
      'jwksMaxAgeSeconds',
    ]);
  });

  test('refuses a certificate renewal lead shorter than the cache window', () => {
    assertConflict({ certificateRenewBeforeSeconds: 60 }, 'ERR_POLICY_CONFLICT', ['certificateRenewBeforeSeconds']);
  });

  test('refuses a certificate validity not longer than its renewal lead', () => {
    assertConflict({ certificateValiditySeconds: 30 * 86_400 }, 'ERR_POLICY_CONFLICT', ['certificateValiditySeconds']);
  });

  test('refuses a bad mode, non-integers and out-of-range values as validation errors', () => {
    assertConflict({ mode: 'SOMETIMES' as never }, 'ERR_VALIDATION', ['mode']);
    assertConflict({ jwksMaxAgeSeconds: 1.5 }, 'ERR_VALIDATION', ['jwksMaxAgeSeconds']);
    assertConflict({ clockSkewSeconds: -1 }, 'ERR_VALIDATION', ['clockSkewSeconds']);
    assertConflict({ maxTokenLifetimeSeconds: '3600' as never }, 'ERR_VALIDATION', ['maxTokenLifetimeSeconds']);
  });
});

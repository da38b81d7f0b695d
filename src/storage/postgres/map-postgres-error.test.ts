import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSignetError } from '../../errors.ts';
import { isTimeout, mapPostgresError } from './map-postgres-error.ts';

const failure = (fields: { code?: string; constraint?: string; message?: string }): Error =>
  Object.assign(new Error(fields.message ?? 'failure'), fields);

describe('mapPostgresError', () => {
  test('every way of losing the database is ERR_UNAVAILABLE, keeping the original as cause', () => {
    const lost = [
      failure({ code: 'ECONNREFUSED' }),
      failure({ code: 'ECONNRESET' }),
      failure({ code: 'ETIMEDOUT' }),
      failure({ code: '57P01', message: 'terminating connection due to administrator command' }),
      failure({ code: '57P02' }),
      failure({ code: '57P03', message: 'the database system is starting up' }),
      failure({ code: '08006' }),
      failure({ code: '08001' }),
      failure({ code: '53300', message: 'too many connections' }),
      failure({ message: 'Connection terminated unexpectedly' }),
      failure({ message: 'timeout exceeded when trying to connect' }),
      failure({ message: 'Client has encountered a connection error and is not queryable' }),
    ];
    for (const error of lost) {
      const mapped = mapPostgresError(error);
      assert.ok(isSignetError(mapped, 'ERR_UNAVAILABLE'), error.message);
      assert.equal((mapped as Error).cause, error);
    }
  });

  test('a database that hangs is ERR_UNAVAILABLE as well: statement timeout, lock timeout, client read timeout', () => {
    const hung = [
      failure({ code: '57014', message: 'canceling statement due to statement timeout' }),
      failure({ code: '55P03', message: 'canceling statement due to lock timeout' }),
      failure({ message: 'Query read timeout' }),
    ];
    for (const error of hung) {
      assert.ok(isTimeout(error), error.message);
      const mapped = mapPostgresError(error);
      assert.ok(isSignetError(mapped, 'ERR_UNAVAILABLE'), error.message);
      assert.equal((mapped as Error).cause, error);
    }
    assert.equal(isTimeout(failure({ code: '23505' })), false);
  });

  test('a refused statement keeps its meaning: duplicates, I1/I2 indexes, lifecycle edges', () => {
    const target = {
      label: 'key k1 in key set ks_1',
      details: { keySetId: 'ks_1', kid: 'k1' },
      key: { keySetId: 'ks_1', kid: 'k1', state: 'active' as const },
    };
    assert.ok(
      isSignetError(
        mapPostgresError(failure({ code: '23505', constraint: 'keys_pkey' }), target),
        'ERR_ALREADY_EXISTS',
      ),
    );
    assert.ok(
      isSignetError(
        mapPostgresError(failure({ code: '23505', constraint: 'keys_one_active' }), target),
        'ERR_INVALID_TRANSITION',
      ),
    );
    const edge = mapPostgresError(
      failure({ code: '23514', message: 'signet:invalid_transition:active:revoked' }),
      target,
    );
    assert.ok(isSignetError(edge, 'ERR_INVALID_TRANSITION'));
    assert.deepEqual(edge.details, { keySetId: 'ks_1', kid: 'k1', from: 'active', to: 'revoked' });
  });

  test('other failures are returned as they are (an internal error, never a guess)', () => {
    const other = failure({ code: '42P01', message: 'relation "keys" does not exist' });
    assert.equal(mapPostgresError(other), other);
    assert.equal(mapPostgresError(other, { label: 'x', details: {} }), other);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Algorithm } from '../domain/types.ts';
import { isSignetError } from '../errors.ts';
import { ALGORITHMS, algorithmSpec, isAlgorithm } from './algorithms.ts';

describe('ALGORITHMS', () => {
  it('lists exactly the algorithms of docs/spec.md §4', () => {
    assert.deepEqual(
      Object.keys(ALGORITHMS).sort(),
      ['ES256', 'ES384', 'ES512', 'EdDSA', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'].sort(),
    );
  });

  it('binds each ES algorithm to its one curve (RFC 7518 §3.4)', () => {
    assert.equal(ALGORITHMS.ES256.crv, 'P-256');
    assert.equal(ALGORITHMS.ES384.crv, 'P-384');
    assert.equal(ALGORITHMS.ES512.crv, 'P-521');
    assert.equal(ALGORITHMS.ES512.hash, 'sha512');
    assert.deepEqual(ALGORITHMS.EdDSA, { kty: 'OKP', hash: null, crv: 'Ed25519', pss: false });
  });

  it('marks only PS algorithms as PSS', () => {
    const pss = Object.entries(ALGORITHMS)
      .filter(([, spec]) => spec.pss)
      .map(([alg]) => alg);
    assert.deepEqual(pss, ['PS256', 'PS384', 'PS512']);
  });

  it('cannot be modified', () => {
    assert.throws(() => {
      (ALGORITHMS.RS256 as { hash: string }).hash = 'sha1';
    }, TypeError);
    assert.throws(() => {
      (ALGORITHMS as Record<string, unknown>).HS256 = {};
    }, TypeError);
  });
});

describe('isAlgorithm', () => {
  it('accepts every supported algorithm', () => {
    for (const alg of Object.keys(ALGORITHMS)) assert.equal(isAlgorithm(alg), true, alg);
  });

  it('rejects none, HMAC, wrong case, inherited names and non-strings', () => {
    for (const value of [
      'none',
      'HS256',
      'rs256',
      'Ed25519',
      'toString',
      '__proto__',
      'constructor',
      '',
      256,
      null,
      undefined,
      {},
    ]) {
      assert.equal(isAlgorithm(value), false, String(value));
    }
  });
});

describe('algorithmSpec', () => {
  it('refuses an algorithm that slipped past the type system with ERR_UNSUPPORTED_ALGORITHM', () => {
    assert.throws(
      () => algorithmSpec('HS256' as Algorithm),
      (error) => isSignetError(error, 'ERR_UNSUPPORTED_ALGORITHM'),
    );
  });
});

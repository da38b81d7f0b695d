import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { randomToken } from './random-token.ts';

describe('randomToken', () => {
  it('is the prefix followed by base64url of 32 random bytes by default', () => {
    const token = randomToken('sgt_');
    assert.match(token, /^sgt_[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token.slice(4), 'base64url').length, 32);
  });

  it('honours the byte count', () => {
    assert.match(randomToken('ks_', 12), /^ks_[A-Za-z0-9_-]{16}$/);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken('', 16)));
    assert.equal(tokens.size, 1000);
  });

  it('refuses a non-integer, zero or huge byte count', () => {
    for (const bytes of [0, -1, 1.5, Number.NaN, 4096]) {
      assert.throws(
        () => randomToken('x_', bytes),
        (error) => isSignetError(error, 'ERR_VALIDATION'),
        String(bytes),
      );
    }
  });
});

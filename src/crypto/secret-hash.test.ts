import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashSecret, secretMatches } from './secret-hash.ts';
import { randomToken } from './random-token.ts';

describe('hashSecret', () => {
  it('is base64url SHA-256 of the UTF-8 secret', () => {
    assert.equal(hashSecret('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    assert.equal(
      hashSecret('pässwörd'),
      createHash('sha256').update(Buffer.from('pässwörd', 'utf8')).digest('base64url'),
    );
  });

  it('never returns the secret itself', () => {
    const secret = randomToken('sgs_');
    assert.equal(hashSecret(secret).includes(secret.slice(4, 20)), false);
  });
});

describe('secretMatches', () => {
  const secret = randomToken('sgs_');
  const hash = hashSecret(secret);

  it('accepts the secret whose hash is stored', () => {
    assert.equal(secretMatches(secret, hash), true);
  });

  it('rejects another secret, a prefix, a case change and an empty secret', () => {
    for (const candidate of [randomToken('sgs_'), secret.slice(0, -1), secret.toUpperCase(), '', `${secret} `]) {
      assert.equal(secretMatches(candidate, hash), false, candidate);
    }
  });

  it('rejects malformed stored hashes instead of throwing', () => {
    for (const stored of ['', 'abc', hash.slice(0, -2), `${hash}AAAA`, secret]) {
      assert.equal(secretMatches(secret, stored), false, stored);
    }
  });
});

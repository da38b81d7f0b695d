import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { toPublicJwk } from './to-public-jwk.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

describe('toPublicJwk', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const ed = generateKeyPairSync('ed25519');

  it('exports an RSA key as exactly kty, n, e', () => {
    const jwk = toPublicJwk(rsa.publicKey);
    assert.deepEqual(Object.keys(jwk).sort(), ['e', 'kty', 'n']);
    assert.equal(jwk.kty, 'RSA');
    assert.equal(jwk.e, 'AQAB');
    assert.equal(Buffer.from(jwk.n as string, 'base64url').length, 256);
  });

  it('exports an EC key as exactly kty, crv, x, y', () => {
    const jwk = toPublicJwk(ec.publicKey);
    assert.deepEqual(Object.keys(jwk).sort(), ['crv', 'kty', 'x', 'y']);
    assert.equal(jwk.crv, 'P-384');
    assert.equal(Buffer.from(jwk.x as string, 'base64url').length, 48);
  });

  it('exports an Ed25519 key as exactly kty OKP, crv, x (RFC 8037 §2)', () => {
    const jwk = toPublicJwk(ed.publicKey);
    assert.deepEqual(jwk, { kty: 'OKP', crv: 'Ed25519', x: ed.publicKey.export({ format: 'jwk' }).x });
  });

  it('reduces a private KeyObject to its public members', () => {
    for (const pair of [rsa, ec, ed]) {
      const jwk = toPublicJwk(pair.privateKey);
      assert.deepEqual(jwk, toPublicJwk(pair.publicKey));
      for (const member of PRIVATE_MEMBERS) assert.equal(member in jwk, false, member);
    }
  });

  it('refuses symmetric keys and key types Signet does not sign with', () => {
    const refused = [
      createSecretKey(randomBytes(32)),
      generateKeyPairSync('x25519').publicKey,
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey,
      generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey,
    ];
    for (const key of refused)
      assert.throws(
        () => toPublicJwk(key),
        (error) => isSignetError(error, 'ERR_INVALID_KEY'),
      );
  });
});

import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Algorithm, RsaModulusLength } from '../domain/types.ts';
import { isSignetError } from '../errors.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import { generateKeyPair } from './generate-key-pair.ts';

describe('generateKeyPair', () => {
  for (const alg of ['RS256', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const) {
    it(`generates a ${alg} key pair that fits the algorithm`, async () => {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      assert.equal(privateKey.type, 'private');
      assert.equal(publicKey.type, 'public');
      assertKeyFitsAlgorithm(privateKey, alg);
      // The public half is the public half of this private key.
      assert.deepEqual(
        publicKey.export({ format: 'der', type: 'spki' }),
        createPublicKey(privateKey).export({ format: 'der', type: 'spki' }),
      );
    });
  }

  it('defaults RSA to a 2048-bit modulus with exponent 65537', async () => {
    const { privateKey } = await generateKeyPair('PS256');
    assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
  });

  it('honours a larger modulus', async () => {
    const { privateKey } = await generateKeyPair('RS384', 3072);
    assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 3072);
  });

  it('generates a different key each time', async () => {
    const [a, b] = await Promise.all([generateKeyPair('EdDSA'), generateKeyPair('EdDSA')]);
    assert.notEqual(a.publicKey.export({ format: 'jwk' }).x, b.publicKey.export({ format: 'jwk' }).x);
  });

  it('refuses an RSA modulus outside 2048/3072/4096 with ERR_VALIDATION', async () => {
    await assert.rejects(generateKeyPair('RS256', 1024 as RsaModulusLength), (error) =>
      isSignetError(error, 'ERR_VALIDATION'),
    );
  });

  it('refuses an unknown algorithm with ERR_UNSUPPORTED_ALGORITHM', async () => {
    await assert.rejects(generateKeyPair('HS256' as Algorithm), (error) =>
      isSignetError(error, 'ERR_UNSUPPORTED_ALGORITHM'),
    );
  });
});

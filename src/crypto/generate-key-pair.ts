import { generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Algorithm, RsaModulusLength } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec } from './algorithms.ts';

/** A private key and its public half, as node:crypto KeyObjects. */
export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

// The callback form runs on the libuv thread pool: RSA-4096 takes seconds and must never block the
// event loop (performance-facts: key generation).
const generate = promisify(generateKeyPairCallback);

const RSA_MODULUS_LENGTHS: readonly number[] = [2048, 3072, 4096];

/** Generates a fresh key pair for `alg` off the event loop (RSA modulus defaults to 2048 bits). */
export async function generateKeyPair(alg: Algorithm, rsaModulusLength: RsaModulusLength = 2048): Promise<KeyPair> {
  const spec = algorithmSpec(alg);
  switch (spec.kty) {
    case 'RSA':
      if (!RSA_MODULUS_LENGTHS.includes(rsaModulusLength)) {
        throw new SignetError(
          'ERR_VALIDATION',
          `RSA modulus length must be one of ${RSA_MODULUS_LENGTHS.join(', ')}, got ${String(rsaModulusLength)}`,
        );
      }
      return generate('rsa', { modulusLength: rsaModulusLength, publicExponent: 0x10001 });
    case 'EC':
      return generate('ec', { namedCurve: spec.crv as string });
    case 'OKP':
      return generate('ed25519');
  }
}

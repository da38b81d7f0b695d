import type { KeyObject } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec } from './algorithms.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import { keyObjectSigner } from './key-object-signer.ts';

/** Signs a JWT claims set into a compact JWS with one fixed key. */
export type JwtSigner = (payload: Record<string, unknown>) => string;

export interface CreateJwtSignerOptions {
  alg: Algorithm;
  kid: string;
  privateKey: KeyObject;
  /** The JOSE `typ` header; RFC 9068 §2.1 access tokens use `at+jwt`. */
  typ?: string;
}

/**
 * Creates a JWT signer that assembles the compact JWS (RFC 7515 §7.1) and signs with node:crypto
 * directly: a cached KeyObject with `crypto.sign` is faster than jose's WebCrypto hop (performance-facts).
 */
export function createJwtSigner(options: CreateJwtSignerOptions): JwtSigner {
  const { alg, kid, privateKey, typ = 'at+jwt' } = options;
  algorithmSpec(alg);
  if (privateKey.type !== 'private') throw new SignetError('ERR_INVALID_KEY', 'a private key is required to sign');
  assertKeyFitsAlgorithm(privateKey, alg);
  // The header never changes for a key, so it is encoded once.
  const encodedHeader = Buffer.from(JSON.stringify({ alg, typ, kid })).toString('base64url');
  const signData = keyObjectSigner(alg, privateKey);

  return (payload) => {
    const signingInput = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${signingInput}.${signData(Buffer.from(signingInput)).toString('base64url')}`;
  };
}

import type { KeyObject } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec } from './algorithms.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import { assembleJws, type JwtSigner } from './assemble-jws.ts';
import { keyObjectSigner } from './key-object-signer.ts';

export type { JwtSigner };

export interface CreateJwtSignerOptions {
  alg: Algorithm;
  kid: string;
  privateKey: KeyObject;
  /** The JOSE `typ` header; RFC 9068 §2.1 access tokens use `at+jwt`. */
  typ?: string;
  /**
   * Whether the signature is computed on libuv's thread pool (`crypto.sign` with a callback) instead
   * of on the event loop. Defaults to true for RSA (0.6 ms a signature, worth the hop) and false
   * for EC and EdDSA (40-80 µs: the hop costs more than it frees). See docs/design-notes.md, Hot path.
   */
  offload?: boolean;
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
  return assembleJws({ alg, kid, typ, signData: keyObjectSigner(alg, privateKey, options.offload) });
}

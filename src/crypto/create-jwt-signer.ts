import type { KeyObject } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec } from './algorithms.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import { keyObjectSigner } from './key-object-signer.ts';

/**
 * Signs a JWT claims set into a compact JWS with one fixed key; `typ` overrides the signer's
 * default. It resolves once the signature is computed, which for RSA happens on libuv's thread
 * pool while the event loop serves other requests.
 */
export type JwtSigner = (payload: Record<string, unknown>, typ?: string) => Promise<string>;

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
  // The header changes only with typ, so each one is encoded once (a few distinct typ values are
  // in use: at+jwt, JWT, logout+jwt, secevent+jwt ...; the cache stops growing past a bound).
  const encodeHeader = (headerTyp: string): string =>
    `${Buffer.from(JSON.stringify({ alg, typ: headerTyp, kid })).toString('base64url')}.`;
  const defaultHeader = encodeHeader(typ);
  const headers = new Map<string, string>();
  const signData = keyObjectSigner(alg, privateKey, options.offload);

  return async (payload, headerTyp) => {
    let encodedHeader = defaultHeader;
    if (headerTyp !== undefined && headerTyp !== typ) {
      encodedHeader = headers.get(headerTyp) ?? encodeHeader(headerTyp);
      if (headers.size < 32) headers.set(headerTyp, encodedHeader);
    }
    const signingInput = `${encodedHeader}${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = await signData(Buffer.from(signingInput));
    return `${signingInput}.${signature.toString('base64url')}`;
  };
}

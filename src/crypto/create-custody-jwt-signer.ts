import type { SignBytes } from '../custody/key-custody.ts';
import type { Algorithm } from '../domain/types.ts';
import { algorithmSpec } from './algorithms.ts';
import { assembleJws, type JwtSigner } from './assemble-jws.ts';

/**
 * Creates a JWT signer that assembles the compact JWS (RFC 7515 §7.1) and has its custody sign
 * the signing input (a PKCS#11 token signs on libuv's thread pool, so the event loop keeps serving).
 */
export function createCustodyJwtSigner(options: {
  alg: Algorithm;
  kid: string;
  sign: SignBytes;
  /** The JOSE `typ` header; RFC 9068 §2.1 access tokens use `at+jwt`. */
  typ?: string;
}): JwtSigner {
  const { alg, kid, sign, typ = 'at+jwt' } = options;
  algorithmSpec(alg);
  return assembleJws({ alg, kid, typ, signData: (data) => sign(alg, data) });
}

import type { SignBytes } from '../custody/key-custody.ts';
import type { Algorithm } from '../domain/types.ts';
import { algorithmSpec } from './algorithms.ts';

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
}): (payload: Record<string, unknown>) => Promise<string> {
  const { alg, kid, sign, typ = 'at+jwt' } = options;
  algorithmSpec(alg);
  // The header never changes for a key, so it is encoded once.
  const encodedHeader = `${Buffer.from(JSON.stringify({ alg, typ, kid })).toString('base64url')}.`;
  return async (payload) => {
    const signingInput = `${encodedHeader}${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = await sign(alg, Buffer.from(signingInput));
    return `${signingInput}.${signature.toString('base64url')}`;
  };
}

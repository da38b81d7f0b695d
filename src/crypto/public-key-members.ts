import type { PublicJwk } from '../domain/types.ts';

/** The members of a JWK that carry the public key itself: RSA n, e; EC crv, x, y; OKP crv, x. */
export interface PublicKeyMembers {
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/**
 * The public key members of `jwk`, copied one by one. Never spread a JWK into a response: a record
 * that once held a private JWK would carry d, p, q, dp, dq, qi along (docs/spec.md I3). Absent members stay
 * absent rather than `undefined`, so the result has exactly its JSON shape.
 */
export function publicKeyMembers(jwk: PublicJwk): PublicKeyMembers {
  const members: PublicKeyMembers = {};
  if (jwk.kty === 'RSA') {
    if (jwk.n !== undefined) members.n = jwk.n;
    if (jwk.e !== undefined) members.e = jwk.e;
  } else {
    if (jwk.crv !== undefined) members.crv = jwk.crv;
    if (jwk.x !== undefined) members.x = jwk.x;
    if (jwk.kty === 'EC' && jwk.y !== undefined) members.y = jwk.y;
  }
  return members;
}

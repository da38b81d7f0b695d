import type { Algorithm, Key } from '../domain/types.ts';
import { certificateThumbprints } from './certificate-thumbprints.ts';

/** One published key of a JWKS (RFC 7517 §4, §5): public members only. */
export interface JwksEntry {
  kty: string;
  use: 'sig';
  alg: Algorithm;
  kid: string;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
  x5c: string[];
  x5t: string;
  'x5t#S256': string;
}

/** The JWKS entry of a key, built member by member so no private member can ride along (SPEC I3). */
export function toJwksEntry(key: Pick<Key, 'kid' | 'alg' | 'publicJwk' | 'certificateDer'>): JwksEntry {
  const jwk = key.publicJwk;
  const { x5t, x5tS256 } = certificateThumbprints(key.certificateDer);
  const entry: JwksEntry = { kty: jwk.kty, use: 'sig', alg: key.alg, kid: key.kid, x5c: [key.certificateDer], x5t, 'x5t#S256': x5tS256 };
  // Never spread `jwk`: a record that once held a private JWK would carry d, p, q, dp, dq, qi along.
  // Absent members stay absent rather than `undefined`, so the entry has exactly its JSON shape.
  if (jwk.kty === 'RSA') {
    if (jwk.n !== undefined) entry.n = jwk.n;
    if (jwk.e !== undefined) entry.e = jwk.e;
  } else {
    if (jwk.crv !== undefined) entry.crv = jwk.crv;
    if (jwk.x !== undefined) entry.x = jwk.x;
    if (jwk.kty === 'EC' && jwk.y !== undefined) entry.y = jwk.y;
  }
  return entry;
}

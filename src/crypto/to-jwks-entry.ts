import type { Algorithm, Key } from '../domain/types.ts';
import { certificateThumbprints } from './certificate-thumbprints.ts';
import { publicKeyMembers, type PublicKeyMembers } from './public-key-members.ts';

/** One published key of a JWKS (RFC 7517 §4, §5): public members only. */
export interface JwksEntry extends PublicKeyMembers {
  kty: string;
  use: 'sig';
  alg: Algorithm;
  kid: string;
  x5c: string[];
  x5t: string;
  'x5t#S256': string;
}

/** The JWKS entry of a key: public members only (publicKeyMembers), so no private member can ride along (docs/spec.md I3). */
export function toJwksEntry(key: Pick<Key, 'kid' | 'alg' | 'publicJwk' | 'certificateDer'>): JwksEntry {
  const jwk = key.publicJwk;
  const { x5t, x5tS256 } = certificateThumbprints(key.certificateDer);
  const entry: JwksEntry = {
    kty: jwk.kty,
    use: 'sig',
    alg: key.alg,
    kid: key.kid,
    x5c: [key.certificateDer],
    x5t,
    'x5t#S256': x5tS256,
  };
  return Object.assign(entry, publicKeyMembers(jwk));
}

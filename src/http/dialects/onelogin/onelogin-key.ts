import type { Key } from '../../../domain/types.ts';

/** OneLogin's signing key object: `status` plus the public JWK members (list-keys sample). */
export interface OneLoginKey {
  kid: string;
  status: 'active' | 'draining';
  kty: string;
  use: 'sig';
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/**
 * The OneLogin view of a key. OneLogin knows only `active` and `draining`: Signet's pre-published
 * next key is not shown (it is in `/oidc/2/certs`), so `undefined` for any other state.
 */
export function toOneLoginKey(key: Key): OneLoginKey | undefined {
  if (key.state !== 'active' && key.state !== 'draining') return undefined;
  const jwk = key.publicJwk;
  const body: OneLoginKey = { kid: key.kid, status: key.state, kty: jwk.kty, use: 'sig' };
  // Member by member, so nothing but public members can reach the response (SPEC I3).
  if (jwk.kty === 'RSA') {
    if (jwk.n !== undefined) body.n = jwk.n;
    if (jwk.e !== undefined) body.e = jwk.e;
  } else {
    if (jwk.crv !== undefined) body.crv = jwk.crv;
    if (jwk.x !== undefined) body.x = jwk.x;
    if (jwk.y !== undefined) body.y = jwk.y;
  }
  return body;
}

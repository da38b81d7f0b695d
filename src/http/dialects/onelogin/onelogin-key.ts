import { publicKeyMembers, type PublicKeyMembers } from '../../../crypto/public-key-members.ts';
import type { Key } from '../../../domain/types.ts';

/** OneLogin's signing key object: `status` plus the public JWK members (list-keys sample). */
export interface OneLoginKey extends PublicKeyMembers {
  kid: string;
  status: 'active' | 'draining';
  kty: string;
  use: 'sig';
}

/**
 * The OneLogin view of a key. OneLogin knows only `active` and `draining`: Signet's pre-published
 * next key is not shown (it is in `/oidc/2/certs`), so `undefined` for any other state.
 */
export function toOneLoginKey(key: Key): OneLoginKey | undefined {
  if (key.state !== 'active' && key.state !== 'draining') return undefined;
  // The public members only, so nothing private can reach the response (docs/spec.md I3).
  return { kid: key.kid, status: key.state, kty: key.publicJwk.kty, use: 'sig', ...publicKeyMembers(key.publicJwk) };
}

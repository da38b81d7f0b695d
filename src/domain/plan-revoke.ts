import { SignetError } from '../errors.ts';
import { changeKeyState, type LifecyclePlan } from './key-change.ts';
import type { Key } from './types.ts';

/**
 * Plans revoking one key: a draining key leaves the JWKS at once; a next key is revoked and
 * replaced by a fresh one; the active key is refused (docs/spec.md §2), so a key set always has a signer.
 */
export function planRevoke({ keys, kid, now }: { keys: readonly Key[]; kid: string; now: number }): LifecyclePlan {
  const key = keys.find((candidate) => candidate.kid === kid);
  if (!key) throw new SignetError('ERR_KEY_NOT_FOUND', `key ${kid} not found`, { kid });
  if (key.state === 'active') {
    throw new SignetError(
      'ERR_KEY_ACTIVE',
      `key ${kid} is the active key and cannot be revoked; rotate first, or use emergency rotate for a compromised key`,
      { kid },
    );
  }
  const revoked = changeKeyState(key, 'revoked', { revokedAt: now });
  return {
    updates: [revoked.key],
    changes: [revoked.change],
    newKeyState: key.state === 'next' ? 'next' : null,
  };
}

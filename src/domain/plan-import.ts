import { findCurrentKeys } from './find-keys.ts';
import { changeKeyState, type LifecyclePlan } from './key-change.ts';
import type { Key } from './types.ts';

/**
 * Plans importing an existing private key (docs/spec.md §2): it becomes active in a key set without a
 * signer, and otherwise the next key, revoking an unused next key it replaces (I2).
 */
export function planImport({ keys, now }: { keys: readonly Key[]; now: number }): LifecyclePlan {
  const { active, next } = findCurrentKeys(keys);
  if (!active && !next) return { updates: [], changes: [], newKeyState: 'active' };
  if (!next) return { updates: [], changes: [], newKeyState: 'next' };
  const replaced = changeKeyState(next, 'revoked', { revokedAt: now });
  return { updates: [replaced.key], changes: [replaced.change], newKeyState: 'next' };
}

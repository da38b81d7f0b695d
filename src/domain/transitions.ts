import { SignetError } from '../errors.ts';
import type { KeyState } from './types.ts';

/** The edges of the lifecycle (docs/spec.md §2); the storage schema enforces the same set. */
export const ALLOWED_TRANSITIONS: Readonly<Record<KeyState, readonly KeyState[]>> = Object.freeze({
  next: ['active', 'revoked'],
  active: ['draining'],
  draining: ['retired', 'revoked'],
  retired: [],
  revoked: [],
});

/** True when a key may go from `from` to `to`. */
export function canTransition(from: KeyState, to: KeyState): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** Throws ERR_INVALID_TRANSITION unless `from` -> `to` is an edge of the lifecycle. */
export function assertTransition(kid: string, from: KeyState, to: KeyState): void {
  if (!canTransition(from, to)) {
    throw new SignetError('ERR_INVALID_TRANSITION', `key ${kid} cannot go from ${from} to ${to}`, {
      kid,
      from,
      to,
    });
  }
}

import type { AuditAction, Key, KeyState } from './types.ts';
import { assertTransition } from './transitions.ts';

/** One state change of one key, as the audit log records it. */
export interface KeyChange {
  kid: string;
  from: KeyState;
  to: KeyState;
  action: AuditAction;
}

/** What a lifecycle operation does: the keys it changes and whether a fresh key must be minted. */
export interface LifecyclePlan {
  /** Changed keys, in the order their changes must be written. */
  updates: Key[];
  changes: KeyChange[];
  /** A fresh key to add in this state, or null. */
  newKeyState: 'next' | 'active' | null;
}

const ACTION_BY_STATE: Record<KeyState, AuditAction> = {
  next: 'key.generated',
  active: 'key.activated',
  draining: 'key.draining',
  retired: 'key.retired',
  revoked: 'key.revoked',
};

/** Returns `key` moved to `to` with `fields` set, and the change to audit; checks the edge. */
export function changeKeyState(key: Key, to: KeyState, fields: Partial<Key>): { key: Key; change: KeyChange } {
  assertTransition(key.kid, key.state, to);
  return {
    key: { ...key, ...fields, state: to },
    change: { kid: key.kid, from: key.state, to, action: ACTION_BY_STATE[to] },
  };
}

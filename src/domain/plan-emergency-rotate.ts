import { changeKeyState, type LifecyclePlan } from './key-change.ts';
import { planRotate } from './plan-rotate.ts';
import type { Key, RotationPolicy } from './types.ts';

/**
 * Plans an emergency rotation for a compromised active key: rotate now, whatever the schedule,
 * and revoke the old active key in the same transaction so it leaves the JWKS at once. The old
 * key passes through draining (active -> draining -> revoked), each step written and audited.
 */
export function planEmergencyRotate(options: {
  keys: readonly Key[];
  policy: RotationPolicy;
  now: number;
}): LifecyclePlan {
  const plan = planRotate({ ...options, mode: 'force' });
  const drained = plan.updates.find((key) => key.state === 'draining');
  if (!drained) return plan;
  const revoked = changeKeyState(drained, 'revoked', { revokedAt: options.now, retireAt: null });
  return { ...plan, updates: [...plan.updates, revoked.key], changes: [...plan.changes, revoked.change] };
}

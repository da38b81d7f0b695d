import { computeRetireAt } from './compute-retire-at.ts';
import type { Key, RotationPolicy } from './types.ts';

/**
 * The keys a policy change must update so I4 keeps holding: the active key's token-lifetime
 * ceiling only ever rises, and a draining key's retirement only ever moves later.
 */
export function applyPolicyChange(keys: readonly Key[], policy: RotationPolicy): Key[] {
  const updated: Key[] = [];
  for (const key of keys) {
    if (key.state === 'active' && policy.maxTokenLifetimeSeconds > key.tokenLifetimeCeilingSeconds) {
      updated.push({ ...key, tokenLifetimeCeilingSeconds: policy.maxTokenLifetimeSeconds });
    }
    if (key.state === 'draining' && key.drainingSince !== null && key.retireAt !== null) {
      const retireAt = computeRetireAt(key, policy, key.drainingSince);
      if (retireAt > key.retireAt) updated.push({ ...key, retireAt });
    }
  }
  return updated;
}

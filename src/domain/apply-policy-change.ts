import { computeRetentionSeconds, computeRetireAt } from './compute-retire-at.ts';
import type { Key, RotationPolicy } from './types.ts';

/**
 * The keys a policy change from `previous` to `policy` must update so I4 and every signing API
 * `verifiableUntil` keep holding: the active key's retention (computeRetentionSeconds) never
 * shrinks, so its ceiling rises to cover what the previous policy promised, and a draining key's
 * retirement only ever moves later.
 */
export function applyPolicyChange(keys: readonly Key[], policy: RotationPolicy, previous: RotationPolicy): Key[] {
  const updated: Key[] = [];
  for (const key of keys) {
    if (key.state === 'active') {
      // Lowering drainingPeriodSeconds, jwksMaxAgeSeconds or clockSkewSeconds must not let a key
      // that already answered `verifiableUntil = now + retention` leave the JWKS sooner.
      const promised = computeRetentionSeconds(key, previous);
      const ceiling = Math.max(
        key.tokenLifetimeCeilingSeconds,
        policy.maxTokenLifetimeSeconds,
        promised - policy.jwksMaxAgeSeconds - policy.clockSkewSeconds,
      );
      if (ceiling > key.tokenLifetimeCeilingSeconds) updated.push({ ...key, tokenLifetimeCeilingSeconds: ceiling });
    }
    if (key.state === 'draining' && key.drainingSince !== null && key.retireAt !== null) {
      const retireAt = computeRetireAt(key, policy, key.drainingSince);
      if (retireAt > key.retireAt) updated.push({ ...key, retireAt });
    }
  }
  return updated;
}

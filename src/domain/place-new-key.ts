import type { Key, RotationPolicy } from './types.ts';

/** Puts a freshly minted key into the state a plan asks for, stamping its lifecycle times. */
export function placeNewKey(key: Key, state: 'next' | 'active', policy: RotationPolicy, now: number): Key {
  return {
    ...key,
    state,
    createdAt: now,
    publishedAt: now,
    activatedAt: state === 'active' ? now : null,
    tokenLifetimeCeilingSeconds: policy.maxTokenLifetimeSeconds,
  };
}

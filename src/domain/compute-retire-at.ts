import type { Key, RotationPolicy } from './types.ts';

/**
 * How long a key must stay published after it stops signing (docs/spec.md §3 "keep until unused"):
 * the draining period, and never less than the longest token it could have signed plus every
 * verifier's JWKS cache and the clock skew.
 */
export function computeRetentionSeconds(key: Pick<Key, 'tokenLifetimeCeilingSeconds'>, policy: RotationPolicy): number {
  const lastTokenSafeSeconds =
    Math.max(key.tokenLifetimeCeilingSeconds, policy.maxTokenLifetimeSeconds) +
    policy.jwksMaxAgeSeconds +
    policy.clockSkewSeconds;
  return Math.max(policy.drainingPeriodSeconds, lastTokenSafeSeconds);
}

/**
 * When a key that stops signing at `drainingSince` may leave the JWKS: `drainingSince` plus its
 * retention (computeRetentionSeconds).
 */
export function computeRetireAt(
  key: Pick<Key, 'tokenLifetimeCeilingSeconds'>,
  policy: RotationPolicy,
  drainingSince: number,
): number {
  return drainingSince + computeRetentionSeconds(key, policy) * 1000;
}

import type { Key, RotationPolicy } from './types.ts';

/**
 * When a key that stops signing at `drainingSince` may leave the JWKS (docs/spec.md §3 "keep until
 * unused"): after the draining period, and never before every token it could have signed has
 * expired and every verifier's cached JWKS has been refreshed.
 */
export function computeRetireAt(
  key: Pick<Key, 'tokenLifetimeCeilingSeconds'>,
  policy: RotationPolicy,
  drainingSince: number,
): number {
  const lastTokenSafeSeconds =
    Math.max(key.tokenLifetimeCeilingSeconds, policy.maxTokenLifetimeSeconds) +
    policy.jwksMaxAgeSeconds +
    policy.clockSkewSeconds;
  return drainingSince + Math.max(policy.drainingPeriodSeconds, lastTokenSafeSeconds) * 1000;
}

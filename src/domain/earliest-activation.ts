import type { Key, RotationPolicy } from './types.ts';

/**
 * The earliest time a `next` key may start signing (SPEC §3 "publish before use"): once it has
 * been published for jwksMaxAge + clockSkew, every verifier that honours Cache-Control has it.
 */
export function earliestActivation(next: Pick<Key, 'publishedAt'>, policy: RotationPolicy): number {
  return next.publishedAt + (policy.jwksMaxAgeSeconds + policy.clockSkewSeconds) * 1000;
}

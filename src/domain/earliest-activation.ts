import type { Key, RotationPolicy } from './types.ts';

/**
 * The earliest time a `next` key may start signing (docs/spec.md §3 "publish before use"): once it has
 * been published for jwksMaxAge + clockSkew, and every copy of the JWKS cached under an earlier,
 * longer max-age (`cacheHorizonAt`) has expired, every verifier that honours Cache-Control has it.
 */
export function earliestActivation(
  next: Pick<Key, 'publishedAt'>,
  policy: RotationPolicy,
  cacheHorizonAt: number | null = null,
): number {
  const cachedUntil = Math.max(next.publishedAt + policy.jwksMaxAgeSeconds * 1000, cacheHorizonAt ?? -Infinity);
  return cachedUntil + policy.clockSkewSeconds * 1000;
}

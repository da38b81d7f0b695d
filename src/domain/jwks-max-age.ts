import { isExecuted, type ScheduledTransition } from './compute-schedule.ts';
import type { RotationPolicy } from './types.ts';

/**
 * The JWKS `Cache-Control: max-age` in seconds (docs/spec.md §3): at most jwksMaxAge, and never past the
 * next scheduled change of the published set, so no verifier holds a set the schedule has changed.
 */
export function jwksMaxAgeSeconds(
  policy: Pick<RotationPolicy, 'jwksMaxAgeSeconds'>,
  nextChangeAt: number | null,
  now: number,
): number {
  if (nextChangeAt === null) return policy.jwksMaxAgeSeconds;
  const untilChange = Math.floor((nextChangeAt - now) / 1000);
  return Math.max(0, Math.min(policy.jwksMaxAgeSeconds, untilChange));
}

/**
 * The time of the first transition the scheduler carries out in a schedule sorted soonest first, or
 * null; an informational entry (an external certificate's expiry) changes nothing published.
 */
export function nextChangeAt(schedule: readonly ScheduledTransition[]): number | null {
  return schedule.find(isExecuted)?.at ?? null;
}

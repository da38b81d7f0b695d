import { earliestActivation } from './earliest-activation.ts';
import { findCurrentKeys } from './find-keys.ts';
import type { Key, RotationPolicy } from './types.ts';

/** A transition the scheduler will carry out. */
export type ScheduledAction = 'rotate' | 'retire' | 'renewCertificate' | 'generateNext';

export interface ScheduledTransition {
  /** When it is due (epoch ms); due now when `at <= now`. */
  at: number;
  action: ScheduledAction;
  /** The key it concerns: the key to rotate out, retire or renew; null for generateNext. */
  kid: string | null;
}

/**
 * The rotation plan of one key set: every transition SPEC §3 schedules, soonest first. The
 * scheduler carries out those due; the JWKS cache headers and the dashboard read the rest.
 */
export function planSchedule(keys: readonly Key[], policy: RotationPolicy, cacheHorizonAt: number | null = null): ScheduledTransition[] {
  const plan: ScheduledTransition[] = [];
  const { active, next } = findCurrentKeys(keys);

  if (active && !next) plan.push({ at: active.activatedAt ?? active.publishedAt, action: 'generateNext', kid: null });
  if (policy.mode === 'AUTO' && active && next) {
    const periodEnds = (active.activatedAt ?? active.publishedAt) + policy.rotationPeriodSeconds * 1000;
    plan.push({ at: Math.max(periodEnds, earliestActivation(next, policy, cacheHorizonAt)), action: 'rotate', kid: active.kid });
  }
  for (const key of keys) {
    if (key.state === 'draining' && key.retireAt !== null) {
      plan.push({ at: key.retireAt, action: 'retire', kid: key.kid });
    }
    if (key.state === 'next' || key.state === 'active' || key.state === 'draining') {
      const renewAt = key.certificateNotAfter - policy.certificateRenewBeforeSeconds * 1000;
      // A draining key retiring before its renewal time needs no new certificate.
      if (key.state !== 'draining' || key.retireAt === null || key.retireAt > renewAt) {
        plan.push({ at: renewAt, action: 'renewCertificate', kid: key.kid });
      }
    }
  }
  return plan.sort((a, b) => a.at - b.at);
}

/** The transitions of `plan` that are due at `now`. */
export function dueTransitions(plan: readonly ScheduledTransition[], now: number): ScheduledTransition[] {
  return plan.filter((transition) => transition.at <= now);
}

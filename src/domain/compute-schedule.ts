import { earliestActivation } from './earliest-activation.ts';
import { findCurrentKeys } from './find-keys.ts';
import type { Key, RotationPolicy } from './types.ts';

/**
 * An entry of a key set's schedule: a transition the scheduler will carry out, or `certificateExpires`,
 * which only tells when a certificate Signet does not renew (an external CA's) runs out.
 */
export type ScheduledAction = 'rotate' | 'retire' | 'renewCertificate' | 'generateNext' | 'certificateExpires';

/** The actions the scheduler carries out; the others are informational and never executed. */
export const EXECUTED_ACTIONS: readonly ScheduledAction[] = ['rotate', 'retire', 'renewCertificate', 'generateNext'];

export interface ScheduledTransition {
  /** When it is due (epoch ms); due now when `at <= now`. */
  at: number;
  action: ScheduledAction;
  /** The key it concerns: the key to rotate out, retire or renew (or whose certificate expires); null for generateNext. */
  kid: string | null;
}

/**
 * The rotation schedule of one key set: every transition docs/spec.md §3 schedules, soonest first. The
 * scheduler carries out those due; the JWKS cache headers and the dashboard read the rest. Signet
 * renews only the certificates it issued itself: for a published key whose certificate a CA issued
 * the schedule holds a `certificateExpires` entry at the certificate's notAfter instead.
 */
export function computeSchedule(
  keys: readonly Key[],
  policy: RotationPolicy,
  cacheHorizonAt: number | null = null,
): ScheduledTransition[] {
  const schedule: ScheduledTransition[] = [];
  const { active, next } = findCurrentKeys(keys);

  if (active && !next)
    schedule.push({ at: active.activatedAt ?? active.publishedAt, action: 'generateNext', kid: null });
  if (policy.mode === 'AUTO' && active && next) {
    const periodEnds = (active.activatedAt ?? active.publishedAt) + policy.rotationPeriodSeconds * 1000;
    schedule.push({
      at: Math.max(periodEnds, earliestActivation(next, policy, cacheHorizonAt)),
      action: 'rotate',
      kid: active.kid,
    });
  }
  for (const key of keys) {
    if (key.state === 'draining' && key.retireAt !== null) {
      schedule.push({ at: key.retireAt, action: 'retire', kid: key.kid });
    }
    if (key.state === 'next' || key.state === 'active' || key.state === 'draining') {
      const renewAt = key.certificateNotAfter - policy.certificateRenewBeforeSeconds * 1000;
      // A draining key retiring before its renewal time needs no new certificate.
      if (key.state === 'draining' && key.retireAt !== null && key.retireAt <= renewAt) continue;
      // Replacing a CA's certificate with a self-signed one would break whoever trusts that CA.
      schedule.push(
        key.certificateIssuer === 'signet'
          ? { at: renewAt, action: 'renewCertificate', kid: key.kid }
          : { at: key.certificateNotAfter, action: 'certificateExpires', kid: key.kid },
      );
    }
  }
  return schedule.sort((a, b) => a.at - b.at);
}

/** Whether the scheduler carries `transition` out (informational entries it does not). */
export function isExecuted(transition: ScheduledTransition): boolean {
  return EXECUTED_ACTIONS.includes(transition.action);
}

/** The transitions of `schedule` the scheduler carries out that are due at `now`. */
export function dueTransitions(schedule: readonly ScheduledTransition[], now: number): ScheduledTransition[] {
  return schedule.filter((transition) => transition.at <= now && isExecuted(transition));
}

/**
 * The published keys whose certificate an external CA issued and that are within
 * `certificateRenewBeforeSeconds` of its expiry (or past it) at `now`: Signet will not renew them,
 * so an operator has to publish a new key with a fresh certificate.
 */
export function expiringExternalCertificates(
  schedule: readonly ScheduledTransition[],
  policy: RotationPolicy,
  now: number,
): ScheduledTransition[] {
  return schedule.filter(
    (t) => t.action === 'certificateExpires' && t.at - policy.certificateRenewBeforeSeconds * 1000 <= now,
  );
}

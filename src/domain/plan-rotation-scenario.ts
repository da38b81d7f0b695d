import { SignetError } from '../errors.ts';
import { findCurrentKeys } from './find-keys.ts';
import { jwksMaxAgeSeconds, nextChangeAt } from './jwks-max-age.ts';
import { planEmergencyRotate } from './plan-emergency-rotate.ts';
import { planRevoke } from './plan-revoke.ts';
import { planRotate } from './plan-rotate.ts';
import { computeSchedule } from './compute-schedule.ts';
import { applyLifecyclePlan, replaySchedule, SIMULATED_KID_PREFIX } from './replay-schedule.ts';
import type { Key, RotationPolicy } from './types.ts';
import type { RotationScenario } from './verifiers/verifier-model.ts';

/** The lifecycle actions the simulator can try. */
export type SimulatedAction = 'rotate' | 'emergency-rotate' | 'revoke';

export const SIMULATED_ACTIONS: readonly SimulatedAction[] = ['rotate', 'emergency-rotate', 'revoke'];

/** How far ahead an action may be simulated: the schedule beyond is guesswork. */
export const MAX_SIMULATION_AHEAD_MS = 366 * 86_400_000;

export interface PlanRotationScenarioOptions {
  keys: readonly Key[];
  policy: RotationPolicy;
  cacheHorizonAt: number | null;
  now: number;
  action: SimulatedAction;
  /** The key to revoke (revoke only). */
  kid: string | null;
  at: number;
}

/**
 * Replays a key set's schedule from `now` to `at`, applies the hypothetical action there (a rotate
 * as if forced), replays on to find the next key a verifier's copy would lack, and reduces it all
 * to the facts verifier models need. Refuses what the action itself would refuse (an active or
 * unknown kid), a time in the past, and a kid with an action that takes none.
 */
export function planRotationScenario(options: PlanRotationScenarioOptions): RotationScenario {
  const { keys, policy, cacheHorizonAt, now, action, kid, at } = options;
  assertSimulation(options);
  const before = replaySchedule({ keys, policy, cacheHorizonAt, from: now, until: at });
  const plan =
    action === 'rotate'
      ? planRotate({ keys: before.keys, policy, now: at, mode: 'force', cacheHorizonAt })
      : action === 'emergency-rotate'
        ? planEmergencyRotate({ keys: before.keys, policy, now: at })
        : planRevoke({ keys: before.keys, kid: kid!, now: at });
  const after = applyLifecyclePlan(before.keys, plan, policy, at);

  const horizon = cacheHorizonAt ?? -Infinity;
  const servedMaxAge = jwksMaxAgeSeconds(
    policy,
    nextChangeAt(computeSchedule(before.keys, policy, cacheHorizonAt)),
    at,
  );
  const copyBeforeActionExpiresAt = Math.max(at + servedMaxAge * 1000, horizon);

  const signerBefore = findCurrentKeys(before.keys).active;
  const signerAfter = findCurrentKeys(after).active;
  const newSigner = signerAfter && signerAfter.kid !== signerBefore?.kid ? signerAfter : undefined;
  const signerPublishedAt = newSigner ? newSigner.publishedAt : null;

  let signerlessCopyExpiresAt: number | null = null;
  if (newSigner) {
    if (newSigner.publishedAt >= at) signerlessCopyExpiresAt = copyBeforeActionExpiresAt;
    else if (newSigner.kid.startsWith(SIMULATED_KID_PREFIX)) {
      // Published by a scheduled change, which the max-age served before it already ended at.
      signerlessCopyExpiresAt = Math.max(newSigner.publishedAt, horizon);
    } else {
      // Published before now: nothing says what max-age was served then, so assume the longest.
      signerlessCopyExpiresAt = Math.max(newSigner.publishedAt + policy.jwksMaxAgeSeconds * 1000, horizon);
    }
  }

  return {
    at,
    signerPublishedAt,
    signerlessCopyExpiresAt,
    revokes: plan.changes.some((change) => change.to === 'revoked'),
    copyBeforeActionExpiresAt,
    nextUnknownSignerAt: nextUnknownSignerAt(after, policy, cacheHorizonAt, at, signerPublishedAt),
  };
}

/** The first time from `at` a key published at or after `at` (unknown to a copy fetched before) signs. */
function nextUnknownSignerAt(
  keys: readonly Key[],
  policy: RotationPolicy,
  cacheHorizonAt: number | null,
  at: number,
  signerPublishedAt: number | null,
): number | null {
  if (signerPublishedAt !== null && signerPublishedAt >= at) return at;
  // Two rotations suffice: the next key published before `at` signs first, then one published
  // after; each comes at most a rotation period plus the publish-before-use wait after the last.
  const wait = policy.rotationPeriodSeconds + policy.jwksMaxAgeSeconds + policy.clockSkewSeconds;
  const until = Math.max(at, cacheHorizonAt ?? at) + 2 * wait * 1000;
  const replay = replaySchedule({ keys, policy, cacheHorizonAt, from: at, until, maxSteps: 200 });
  return replay.activations.find((activation) => activation.publishedAt >= at)?.at ?? null;
}

function assertSimulation({ action, kid, at, now }: PlanRotationScenarioOptions): void {
  if (!SIMULATED_ACTIONS.includes(action)) {
    throw new SignetError('ERR_VALIDATION', `action must be one of ${SIMULATED_ACTIONS.join(', ')}`, {
      fields: ['action'],
    });
  }
  if (action === 'revoke' && !kid) {
    throw new SignetError('ERR_VALIDATION', 'revoke needs the kid of the key to revoke', { fields: ['kid'] });
  }
  if (action !== 'revoke' && kid) {
    throw new SignetError('ERR_VALIDATION', `${action} takes no kid`, { fields: ['kid'] });
  }
  if (!Number.isFinite(at) || at < now || at > now + MAX_SIMULATION_AHEAD_MS) {
    throw new SignetError('ERR_VALIDATION', 'at must lie between now and 366 days ahead', { fields: ['at'] });
  }
}

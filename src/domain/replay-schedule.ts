import { SignetError } from '../errors.ts';
import { changeKeyState, type LifecyclePlan } from './key-change.ts';
import { placeNewKey } from './place-new-key.ts';
import { computeSchedule, isExecuted } from './compute-schedule.ts';
import { planRotate } from './plan-rotate.ts';
import type { Key, RotationPolicy } from './types.ts';

/** When a key started signing during a replay, and when it had been published. */
export interface ReplayedActivation {
  at: number;
  kid: string;
  publishedAt: number;
}

/** A key set's keys after a replay, with the activations it went through. */
export interface ReplayedKeySet {
  keys: Key[];
  activations: ReplayedActivation[];
}

export interface ReplayScheduleOptions {
  keys: readonly Key[];
  policy: RotationPolicy;
  cacheHorizonAt: number | null;
  /** The replay starts here: transitions already due happen at this time. */
  from: number;
  /** Transitions due at or before this time are carried out. */
  until: number;
  /** Stops a pathological policy from replaying forever; the replay ends early instead. */
  maxSteps?: number;
}

/** The prefix of kids the simulator makes up for keys that do not exist yet. */
export const SIMULATED_KID_PREFIX = 'simulated-';

/**
 * Carries out, on a copy of a key set, every transition its plan schedules up to `until`, as the
 * scheduler would: AUTO rotations, retirements, fresh next keys and certificate renewals. Keys the
 * replay creates get a `simulated-` kid and placeholder key material.
 */
export function replaySchedule(options: ReplayScheduleOptions): ReplayedKeySet {
  const { policy, cacheHorizonAt, from, until, maxSteps = 1000 } = options;
  let keys = [...options.keys];
  const activations: ReplayedActivation[] = [];
  for (let step = 0; step < maxSteps; step++) {
    const due = computeSchedule(keys, policy, cacheHorizonAt).find(isExecuted);
    if (!due) break;
    const at = Math.max(due.at, from);
    if (at > until) break;
    if (due.action === 'rotate') {
      const before = keys;
      keys = applyLifecyclePlan(keys, planRotate({ keys, policy, now: at, mode: 'force', cacheHorizonAt }), policy, at);
      activations.push(...newActivations(before, keys, at));
    } else if (due.action === 'generateNext') {
      keys = [...keys, placeNewKey(simulatedKey(keys, policy, at), 'next', policy, at)];
    } else if (due.action === 'retire' || due.action === 'renewCertificate') {
      const action = due.action;
      keys = keys.map((key) => (key.kid === due.kid ? carryOut(action, key, policy, at) : key));
    } else break;
  }
  return { keys, activations };
}

/** Applies a lifecycle plan to a copy of `keys` at `at`, minting a simulated key when it asks for one. */
export function applyLifecyclePlan(
  keys: readonly Key[],
  plan: LifecyclePlan,
  policy: RotationPolicy,
  at: number,
): Key[] {
  const updated = new Map(plan.updates.map((key) => [key.kid, key]));
  const next = keys.map((key) => updated.get(key.kid) ?? key);
  if (plan.newKeyState) next.push(placeNewKey(simulatedKey(keys, policy, at), plan.newKeyState, policy, at));
  return next;
}

/** The key that became active between `before` and `after`, as an activation at `at`. */
export function newActivations(before: readonly Key[], after: readonly Key[], at: number): ReplayedActivation[] {
  const wasActive = before.find((key) => key.state === 'active')?.kid;
  const active = after.find((key) => key.state === 'active');
  if (!active || active.kid === wasActive) return [];
  return [{ at, kid: active.kid, publishedAt: active.publishedAt }];
}

function carryOut(action: 'retire' | 'renewCertificate', key: Key, policy: RotationPolicy, at: number): Key {
  if (action === 'retire') return changeKeyState(key, 'retired', { retiredAt: at }).key;
  return { ...key, certificateNotBefore: at, certificateNotAfter: at + policy.certificateValiditySeconds * 1000 };
}

function simulatedKey(keys: readonly Key[], policy: RotationPolicy, at: number): Key {
  const template = keys[0];
  if (!template) throw new SignetError('ERR_KEY_SET_NOT_INITIALISED', 'the key set has no keys to simulate');
  const taken = new Set(keys.map((key) => key.kid));
  let n = keys.length;
  while (taken.has(`${SIMULATED_KID_PREFIX}${n}`)) n++;
  return {
    ...template,
    kid: `${SIMULATED_KID_PREFIX}${n}`,
    origin: 'generated',
    sealedPrivateKey: '',
    certificateIssuer: 'signet',
    certificateNotBefore: at,
    certificateNotAfter: at + policy.certificateValiditySeconds * 1000,
    activatedAt: null,
    drainingSince: null,
    retireAt: null,
    retiredAt: null,
    revokedAt: null,
  };
}

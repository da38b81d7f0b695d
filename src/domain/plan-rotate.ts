import { SignetError } from '../errors.ts';
import { computeRetireAt } from './compute-retire-at.ts';
import { earliestActivation } from './earliest-activation.ts';
import { findCurrentKeys } from './find-keys.ts';
import { changeKeyState, type LifecyclePlan } from './key-change.ts';
import type { Key, RotationPolicy } from './types.ts';

/**
 * How strictly a rotation honours "publish before use" (docs/spec.md §3):
 * `safe` refuses an early rotation (the native API without force), `force` and `vendor` rotate now
 * (the native API with force; the vendor dialects, whose contract is "rotate now").
 */
export type RotateMode = 'safe' | 'force' | 'vendor';

export interface PlanRotateOptions {
  keys: readonly Key[];
  policy: RotationPolicy;
  now: number;
  mode: RotateMode;
  /** KeySet.jwksCacheHorizonAt: copies of the JWKS cached under a longer, earlier max-age. */
  cacheHorizonAt?: number | null;
}

/**
 * Plans a rotation: next -> active, active -> draining, and a fresh next key (Okta/Auth0
 * semantics); with no next key, a fresh key becomes active at once (OneLogin semantics).
 */
export function planRotate({ keys, policy, now, mode, cacheHorizonAt = null }: PlanRotateOptions): LifecyclePlan {
  const { active, next } = findCurrentKeys(keys);
  if (mode === 'safe') assertSafeRotation(next, policy, now, cacheHorizonAt);

  const plan: LifecyclePlan = { updates: [], changes: [], newKeyState: next ? 'next' : 'active' };
  if (active) {
    const drained = changeKeyState(active, 'draining', {
      drainingSince: now,
      retireAt: computeRetireAt(active, policy, now),
    });
    plan.updates.push(drained.key);
    plan.changes.push(drained.change);
  }
  if (next) {
    const promoted = changeKeyState(next, 'active', {
      activatedAt: now,
      tokenLifetimeCeilingSeconds: policy.maxTokenLifetimeSeconds,
    });
    plan.updates.push(promoted.key);
    plan.changes.push(promoted.change);
  }
  return plan;
}

function assertSafeRotation(
  next: Key | undefined,
  policy: RotationPolicy,
  now: number,
  cacheHorizonAt: number | null,
): void {
  if (!next) {
    throw new SignetError(
      'ERR_ROTATION_UNSAFE',
      'no next key is published, so a new key would sign before verifiers could fetch it; pass force to rotate anyway',
      { earliestSafeAt: null },
    );
  }
  const safeAt = earliestActivation(next, policy, cacheHorizonAt);
  if (now < safeAt) {
    throw new SignetError(
      'ERR_ROTATION_UNSAFE',
      `next key ${next.kid} is not yet in every verifier's cached JWKS (published for less than jwksMaxAgeSeconds + ` +
        `clockSkewSeconds = ${policy.jwksMaxAgeSeconds + policy.clockSkewSeconds} s, or an earlier, longer max-age is ` +
        `still cached); the earliest safe rotation is ` +
        `${new Date(safeAt).toISOString()}; pass force to rotate now`,
      { earliestSafeAt: new Date(safeAt).toISOString(), kid: next.kid },
    );
  }
}

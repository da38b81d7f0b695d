import type { ConsumerReadiness, Readiness } from './summarize-readiness.ts';
import type { RotationPolicy } from './types.ts';

/** Whether the readiness gate lets a rotation activate the next key, and why. */
export type ReadinessGate =
  | { open: true; reason: 'disabled' | 'ready' | 'maxWait'; readyCount: number; consumerCount: number }
  | { open: false; readyCount: number; consumerCount: number; requiredPercent: number; lagging: ConsumerReadiness[] };

export interface ReadinessGateInput {
  policy: RotationPolicy;
  readiness: Readiness;
  /**
   * When the rotation became due: the scheduled time for AUTO rotation, the request's time for a
   * native rotate (so the maximum wait never opens the gate for an operator: `force` does).
   */
  dueAt: number;
  now: number;
}

/**
 * The readiness gate (docs/spec.md §7, rollout safety), one rule for the scheduler and the native API: open when
 * the policy sets no gate, when at least `readinessGatePercent` of the consumers seen in the window
 * hold the next key (no consumers seen: nobody lags), or once `readinessGateMaxWaitSeconds` have
 * passed since the rotation was due. Emergency rotation never asks it.
 */
export function evaluateReadinessGate({ policy, readiness, dueAt, now }: ReadinessGateInput): ReadinessGate {
  const { readyCount, consumerCount } = readiness;
  if (policy.readinessGatePercent === 0) return { open: true, reason: 'disabled', readyCount, consumerCount };
  if (readyCount * 100 >= policy.readinessGatePercent * consumerCount)
    return { open: true, reason: 'ready', readyCount, consumerCount };
  if (now >= dueAt + policy.readinessGateMaxWaitSeconds * 1000)
    return { open: true, reason: 'maxWait', readyCount, consumerCount };
  return {
    open: false,
    readyCount,
    consumerCount,
    requiredPercent: policy.readinessGatePercent,
    lagging: readiness.consumers.filter((consumer) => !consumer.ready),
  };
}

import {
  planRotationScenario,
  type PlanRotationScenarioOptions,
  type SimulatedAction,
} from './plan-rotation-scenario.ts';
import { defaultVerifierModels } from './verifiers/verifier-models.ts';
import type { ExposureWindow, VerifierLibrary, VerifierModel } from './verifiers/verifier-model.ts';

/** One library's answer: when valid tokens are refused, when a revoked key is still trusted. */
export interface VerifierVerdict {
  library: VerifierLibrary;
  model: string;
  rejectsValidTokens: ExposureWindow | null;
  acceptsRevokedKey: ExposureWindow | null;
}

/** The simulator's answer for one hypothetical action (times in epoch ms). */
export interface SimulationResult {
  action: SimulatedAction;
  at: number;
  verifiers: VerifierVerdict[];
}

/**
 * Simulates a lifecycle action at `at` against the JWKS caches of the verifier libraries people
 * run (docs/spec.md §7 "Rollout safety"): per library, whether a valid token would be refused or a
 * revoked key still accepted, and from when until when, in the worst case of when it last fetched.
 */
export function simulateRotation(
  options: PlanRotationScenarioOptions & { models?: readonly VerifierModel[] },
): SimulationResult {
  const scenario = planRotationScenario(options);
  const models = options.models ?? defaultVerifierModels();
  return {
    action: options.action,
    at: options.at,
    verifiers: models.map((model) => ({
      library: model.library,
      model: model.model,
      rejectsValidTokens: model.rejectsValidTokens(scenario),
      acceptsRevokedKey: model.acceptsRevokedKey(scenario),
    })),
  };
}

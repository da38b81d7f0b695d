import { SignetError } from '../errors.ts';
import type { SimulatedAction } from '../domain/plan-rotation-scenario.ts';
import { type SimulationResult, simulateRotation } from '../domain/simulate-rotation.ts';
import type { KeyService } from './create-key-service.ts';

/** What a caller asks the simulator, as it arrives from the API, the CLI or the dashboard. */
export interface SimulationRequest {
  action: SimulatedAction;
  kid?: string | undefined;
  /** RFC 3339; now when absent. */
  at?: string | undefined;
}

export interface SimulationServiceDeps {
  keys: Pick<KeyService, 'getKeySet' | 'listKeys'>;
  now: () => number;
}

export type SimulationService = ReturnType<typeof createSimulationService>;

// RFC 3339 §5.6 date-time: Date.parse alone also takes "2026-01-01" or "Jan 1 2026".
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** The rotation simulator over a stored key set: reads its keys and policy, simulates, writes nothing. */
export function createSimulationService({ keys, now }: SimulationServiceDeps) {
  return {
    /** Simulates `request.action` on a key set of the tenant against every modelled verifier library. */
    async simulate(tenantId: string, keySetId: string, request: SimulationRequest): Promise<SimulationResult> {
      const current = now();
      const at = request.at === undefined ? current : parseAt(request.at);
      const keySet = await keys.getKeySet(tenantId, keySetId);
      // All states: revoking a key already revoked is refused as the real revoke refuses it.
      const stored = await keys.listKeys(tenantId, keySetId);
      return simulateRotation({
        keys: stored,
        policy: keySet.policy,
        cacheHorizonAt: keySet.jwksCacheHorizonAt,
        now: current,
        action: request.action,
        kid: request.kid ?? null,
        at,
      });
    },
  };
}

function parseAt(value: string): number {
  const ms = RFC_3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new SignetError('ERR_VALIDATION', 'at must be an RFC 3339 date-time', { fields: ['at'] });
  return ms;
}

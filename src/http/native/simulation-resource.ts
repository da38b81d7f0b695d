import type { SimulationResult } from '../../domain/simulate-rotation.ts';
import type { ExposureWindow } from '../../domain/verifiers/verifier-model.ts';

// The simulator's answer as the native API serves it; no server imports, so the dashboard's
// type-check (src/ui/tsconfig.json) can take its shape from here.

const WINDOW_SCHEMA = {
  type: ['object', 'null'],
  description: 'null: never; until null: until the verifier restarts',
  properties: {
    from: { type: 'string', format: 'date-time' },
    until: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

/** The simulator's answer as the native API serves it. */
export const SIMULATION_SCHEMA = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['rotate', 'emergency-rotate', 'revoke'] },
    at: { type: 'string', format: 'date-time' },
    verifiers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          library: {
            type: 'string',
            enum: ['jose', 'jwks-rsa', 'pyjwt', 'microsoft-identitymodel', 'spring-nimbus', 'go-oidc', 'cache-control'],
          },
          model: { type: 'string' },
          rejectsValidTokens: WINDOW_SCHEMA,
          acceptsRevokedKey: WINDOW_SCHEMA,
        },
      },
    },
  },
} as const;

const iso = (ms: number) => new Date(ms).toISOString();
const windowResource = (window: ExposureWindow | null) =>
  window === null ? null : { from: iso(window.from), until: window.until === null ? null : iso(window.until) };

/** A simulation as the native API and the CLI show it (RFC 3339 times). */
export function simulationResource(result: SimulationResult) {
  return {
    action: result.action,
    at: iso(result.at),
    verifiers: result.verifiers.map((verdict) => ({
      library: verdict.library,
      model: verdict.model,
      rejectsValidTokens: windowResource(verdict.rejectsValidTokens),
      acceptsRevokedKey: windowResource(verdict.acceptsRevokedKey),
    })),
  };
}

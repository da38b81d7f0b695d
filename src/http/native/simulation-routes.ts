import type { FastifyInstance } from 'fastify';
import type { SimulatedAction } from '../../domain/plan-rotation-scenario.ts';
import type { Services } from '../../services/create-services.ts';
import { tenantIdOf } from './request-context.ts';
import { ERROR_RESPONSES } from './schemas.ts';
import { SIMULATION_SCHEMA, simulationResource } from './simulation-resource.ts';

/** Native route of the rotation simulator: what a rotate, emergency rotate or revoke would do to verifiers. */
export async function simulationRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get<{ Params: { keySetId: string }; Querystring: { action: SimulatedAction; kid?: string; at?: string } }>(
    '/key-sets/:keySetId/simulation',
    {
      config: { surface: 'native', scope: 'keys:read' },
      schema: {
        summary: 'Simulate a rotation, emergency rotation or revocation against verifier libraries',
        description:
          "Replays the key set's schedule up to `at` (default now), applies the action there (a rotate as if forced) and answers, per verifier library's JWKS cache, from when until when a valid token would be refused or a revoked key still accepted, in the worst case of when the verifier last fetched. Changes nothing.",
        tags: ['keys'],
        params: {
          type: 'object',
          required: ['keySetId'],
          properties: { keySetId: { type: 'string', maxLength: 64 } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['action'],
          properties: {
            action: { type: 'string', enum: ['rotate', 'emergency-rotate', 'revoke'] },
            kid: { type: 'string', minLength: 1, maxLength: 128, description: 'the key to revoke (revoke only)' },
            at: { type: 'string', maxLength: 64, description: 'RFC 3339; now when absent' },
          },
        },
        response: { 200: SIMULATION_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { action, kid, at } = request.query;
      return simulationResource(
        await services.simulations.simulate(tenantIdOf(request), request.params.keySetId, { action, kid, at }),
      );
    },
  );
}

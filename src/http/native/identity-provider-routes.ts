import type { FastifyInstance } from 'fastify';
import type { IdentityProviderStatus } from '../../domain/types.ts';
import type { Services } from '../../services/create-services.ts';
import { requestContext, tenantIdOf } from './request-context.ts';
import { identityProviderResource } from './resources.ts';
import { ERROR_RESPONSES, IDENTITY_PROVIDER_SCHEMA } from './schemas.ts';

const params = {
  type: 'object',
  required: ['identityProviderId'],
  properties: { identityProviderId: { type: 'string', maxLength: 63 } },
} as const;

interface CreateBody {
  id?: string;
  type: string;
  name: string;
  status?: IdentityProviderStatus;
  protocolType: string;
  settings?: Record<string, unknown>;
  trustKid?: string | null;
}

/** Native identity-provider routes; an IdP's signing keys are its key set (`signingKeySetId`) under /key-sets. */
export async function identityProviderRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): Promise<void> {
  app.get(
    '/identity-providers',
    {
      config: { surface: 'native', scope: 'identity-providers:read' },
      schema: {
        summary: 'List identity providers',
        tags: ['identity providers'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: IDENTITY_PROVIDER_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => ({
      items: (await services.identityProviders.listIdentityProviders(tenantIdOf(request))).map(
        identityProviderResource,
      ),
    }),
  );

  app.post<{ Body: CreateBody }>(
    '/identity-providers',
    {
      config: { surface: 'native', scope: 'identity-providers:write' },
      schema: {
        summary: 'Create an identity provider with its signing key set (RS256, MANUAL rotation)',
        tags: ['identity providers'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'name', 'protocolType'],
          properties: {
            id: { type: 'string', maxLength: 63 },
            type: { type: 'string', maxLength: 32 },
            name: { type: 'string', minLength: 1, maxLength: 100 },
            status: { type: 'string', enum: ['ACTIVE', 'INACTIVE'] },
            protocolType: { type: 'string', maxLength: 32 },
            settings: { type: 'object', additionalProperties: true },
            trustKid: { type: ['string', 'null'], maxLength: 128 },
          },
        },
        response: { 201: IDENTITY_PROVIDER_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const idp = await services.identityProviders.createIdentityProvider(
        requestContext(request),
        tenantIdOf(request),
        request.body,
      );
      return reply.code(201).send(identityProviderResource(idp));
    },
  );

  app.get<{ Params: { identityProviderId: string } }>(
    '/identity-providers/:identityProviderId',
    {
      config: { surface: 'native', scope: 'identity-providers:read' },
      schema: {
        summary: 'Read an identity provider',
        tags: ['identity providers'],
        params,
        response: { 200: IDENTITY_PROVIDER_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      identityProviderResource(
        await services.identityProviders.getIdentityProvider(tenantIdOf(request), request.params.identityProviderId),
      ),
  );
}

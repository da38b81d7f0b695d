import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/create-services.ts';
import { requestContext } from './request-context.ts';
import { authorizationServerResource, tenantResource } from './resources.ts';
import { AUTHORIZATION_SERVER_SCHEMA, ERROR_RESPONSES, TENANT_SCHEMA } from './schemas.ts';

const hostNames = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 253 }, maxItems: 32 } as const;
const tenantParams = {
  type: 'object',
  required: ['tenantId'],
  properties: { tenantId: { type: 'string', maxLength: 63 } },
} as const;

/** Native tenant routes; only credentials of the root tenant hold the tenants:* scopes. */
export async function tenantRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get(
    '/tenants',
    {
      config: { surface: 'native', scope: 'tenants:read' },
      schema: {
        summary: 'List tenants',
        tags: ['tenants'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: TENANT_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async () => ({ items: (await services.tenants.listTenants()).map(tenantResource) }),
  );

  app.post<{ Body: { id: string; displayName?: string; hostNames?: string[] } }>(
    '/tenants',
    {
      config: { surface: 'native', scope: 'tenants:write' },
      schema: {
        summary:
          'Create a tenant with its default authorization server, an RS256 key set and a tenant admin token (shown once)',
        tags: ['tenants'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: {
            id: { type: 'string', maxLength: 63 },
            displayName: { type: 'string', minLength: 1, maxLength: 200 },
            hostNames,
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              tenant: TENANT_SCHEMA,
              authorizationServer: AUTHORIZATION_SERVER_SCHEMA,
              adminToken: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  token: { type: 'string' },
                  scopes: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const created = await services.tenants.createTenant(requestContext(request), request.body, {
        withAdminToken: true,
      });
      return reply.code(201).send({
        tenant: tenantResource(created.tenant),
        authorizationServer: authorizationServerResource(created.authorizationServer),
        adminToken: {
          id: created.adminToken!.apiToken.id,
          token: created.adminToken!.token,
          scopes: created.adminToken!.apiToken.scopes,
        },
      });
    },
  );

  app.get<{ Params: { tenantId: string } }>(
    '/tenants/:tenantId',
    {
      config: { surface: 'native', scope: 'tenants:read' },
      schema: {
        summary: 'Read a tenant',
        tags: ['tenants'],
        params: tenantParams,
        response: { 200: TENANT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => tenantResource(await services.tenants.getTenant(request.params.tenantId)),
  );

  app.patch<{ Params: { tenantId: string }; Body: { displayName?: string; hostNames?: string[] } }>(
    '/tenants/:tenantId',
    {
      config: { surface: 'native', scope: 'tenants:write' },
      schema: {
        summary: "Change a tenant's display name or claimed host names",
        tags: ['tenants'],
        params: tenantParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { displayName: { type: 'string', minLength: 1, maxLength: 200 }, hostNames },
        },
        response: { 200: TENANT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      tenantResource(
        await services.tenants.updateTenant(requestContext(request), request.params.tenantId, request.body),
      ),
  );
}

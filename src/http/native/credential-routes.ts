import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/create-services.ts';
import { requestContext, tenantIdOf } from './request-context.ts';
import { apiTokenResource, clientResource } from './resources.ts';
import {
  API_TOKEN_SCHEMA,
  AUTHORIZATION_SERVER_IDS_SCHEMA,
  CLIENT_SCHEMA,
  ERROR_RESPONSES,
  MANAGEMENT_SCOPES_DESCRIPTION,
  SCOPES_SCHEMA,
} from './schemas.ts';

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    scopes: { ...SCOPES_SCHEMA, description: MANAGEMENT_SCOPES_DESCRIPTION },
    authorizationServerIds: AUTHORIZATION_SERVER_IDS_SCHEMA,
  },
} as const;

interface CreateCredentialBody {
  name: string;
  scopes: string[];
  authorizationServerIds?: string[] | null;
}

/** Native routes for API clients and API tokens; secrets are returned once, at creation. */
export async function credentialRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const read = { surface: 'native' as const, scope: 'clients:read' as const };
  const write = { surface: 'native' as const, scope: 'clients:write' as const };

  app.get(
    '/clients',
    {
      config: read,
      schema: {
        summary: 'List API clients',
        tags: ['credentials'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: CLIENT_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => ({ items: (await services.credentials.listClients(tenantIdOf(request))).map(clientResource) }),
  );

  app.post<{ Body: CreateCredentialBody }>(
    '/clients',
    {
      config: write,
      schema: {
        summary: 'Create an API client for the token endpoint; the secret is shown once',
        tags: ['credentials'],
        body: createBody,
        response: {
          201: { type: 'object', properties: { ...CLIENT_SCHEMA.properties, clientSecret: { type: 'string' } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { client, clientSecret } = await services.credentials.createClient(
        requestContext(request),
        tenantIdOf(request),
        request.body,
      );
      return reply.code(201).send({ ...clientResource(client), clientSecret });
    },
  );

  app.delete<{ Params: { clientId: string } }>(
    '/clients/:clientId',
    {
      config: write,
      schema: {
        summary: 'Delete an API client',
        tags: ['credentials'],
        params: { type: 'object', properties: { clientId: { type: 'string', maxLength: 128 } } },
        response: { ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      await services.credentials.deleteClient(requestContext(request), tenantIdOf(request), request.params.clientId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api-tokens',
    {
      config: read,
      schema: {
        summary: 'List API tokens',
        tags: ['credentials'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: API_TOKEN_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => ({
      items: (await services.credentials.listApiTokens(tenantIdOf(request))).map(apiTokenResource),
    }),
  );

  app.post<{ Body: CreateCredentialBody }>(
    '/api-tokens',
    {
      config: write,
      schema: {
        summary: 'Create an API token; the token is shown once',
        tags: ['credentials'],
        body: createBody,
        response: {
          201: { type: 'object', properties: { ...API_TOKEN_SCHEMA.properties, token: { type: 'string' } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { apiToken, token } = await services.credentials.createApiToken(
        requestContext(request),
        tenantIdOf(request),
        request.body,
      );
      return reply.code(201).send({ ...apiTokenResource(apiToken), token });
    },
  );

  app.delete<{ Params: { apiTokenId: string } }>(
    '/api-tokens/:apiTokenId',
    {
      config: write,
      schema: {
        summary: 'Delete an API token',
        tags: ['credentials'],
        params: { type: 'object', properties: { apiTokenId: { type: 'string', maxLength: 128 } } },
        response: { ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      await services.credentials.deleteApiToken(
        requestContext(request),
        tenantIdOf(request),
        request.params.apiTokenId,
      );
      return reply.code(204).send();
    },
  );
}

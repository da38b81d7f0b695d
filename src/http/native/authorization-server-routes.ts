import type { FastifyInstance } from 'fastify';
import type { Algorithm, Custody, RotationPolicy, RsaModulusLength } from '../../domain/types.ts';
import type { UpdateAuthorizationServerInput } from '../../services/create-authorization-server-service.ts';
import type { Services } from '../../services/create-services.ts';
import { requestContext, tenantIdOf } from './request-context.ts';
import { authorizationServerResource } from './resources.ts';
import {
  CUSTODY_SCHEMA,
  ALGORITHM_SCHEMA,
  AUTHORIZATION_SERVER_SCHEMA,
  ERROR_RESPONSES,
  POLICY_SCHEMA,
  PRIVATE_KEY_SCHEMA,
} from './schemas.ts';

const audiences = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 512 },
  minItems: 1,
  maxItems: 32,
} as const;
const params = {
  type: 'object',
  required: ['authorizationServerId'],
  properties: { authorizationServerId: { type: 'string', maxLength: 63 } },
} as const;

interface CreateBody {
  id: string;
  name?: string;
  audiences: string[];
  accessTokenLifetimeSeconds?: number;
  alg?: Algorithm;
  rsaModulusLength?: RsaModulusLength;
  policy?: Partial<RotationPolicy>;
  privateKey?: string | Record<string, unknown>;
  externalIssuer?: string | null;
  custody?: Custody;
}

/** Native authorization-server routes. */
export async function authorizationServerRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): Promise<void> {
  app.get(
    '/authorization-servers',
    {
      config: { surface: 'native', scope: 'authorization-servers:read' },
      schema: {
        summary: 'List authorization servers',
        tags: ['authorization servers'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: AUTHORIZATION_SERVER_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => ({
      items: (await services.authorizationServers.listAuthorizationServers(tenantIdOf(request))).map(
        authorizationServerResource,
      ),
    }),
  );

  app.post<{ Body: CreateBody }>(
    '/authorization-servers',
    {
      config: { surface: 'native', scope: 'authorization-servers:write' },
      schema: {
        summary: 'Create an authorization server with its signing key set',
        tags: ['authorization servers'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'audiences'],
          properties: {
            id: { type: 'string', maxLength: 63 },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            audiences,
            accessTokenLifetimeSeconds: { type: 'integer' },
            alg: ALGORITHM_SCHEMA,
            rsaModulusLength: { type: 'integer', enum: [2048, 3072, 4096] },
            policy: POLICY_SCHEMA,
            externalIssuer: {
              type: ['string', 'null'],
              maxLength: 512,
              description: "an issuer outside Signet (https URL) its tokens and discovery carry; null for Signet's own",
            },
            privateKey: {
              ...PRIVATE_KEY_SCHEMA,
              description: 'start with this key as the active key (PEM or private JWK)',
            },
            custody: CUSTODY_SCHEMA,
          },
        },
        response: { 201: AUTHORIZATION_SERVER_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const server = await services.authorizationServers.createAuthorizationServer(
        requestContext(request),
        tenantIdOf(request),
        request.body,
      );
      return reply.code(201).send(authorizationServerResource(server));
    },
  );

  app.get<{ Params: { authorizationServerId: string } }>(
    '/authorization-servers/:authorizationServerId',
    {
      config: { surface: 'native', scope: 'authorization-servers:read' },
      schema: {
        summary: 'Read an authorization server',
        tags: ['authorization servers'],
        params,
        response: { 200: AUTHORIZATION_SERVER_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      authorizationServerResource(
        await services.authorizationServers.getAuthorizationServer(
          tenantIdOf(request),
          request.params.authorizationServerId,
        ),
      ),
  );

  app.patch<{
    Params: { authorizationServerId: string };
    Body: UpdateAuthorizationServerInput;
  }>(
    '/authorization-servers/:authorizationServerId',
    {
      config: { surface: 'native', scope: 'authorization-servers:write' },
      schema: {
        summary: 'Change name, audiences, access-token lifetime or external issuer',
        tags: ['authorization servers'],
        params,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            audiences,
            accessTokenLifetimeSeconds: { type: 'integer' },
            externalIssuer: {
              type: ['string', 'null'],
              maxLength: 512,
              description: "an issuer outside Signet (https URL) its tokens and discovery carry; null for Signet's own",
            },
          },
        },
        response: { 200: AUTHORIZATION_SERVER_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      authorizationServerResource(
        await services.authorizationServers.updateAuthorizationServer(
          requestContext(request),
          tenantIdOf(request),
          request.params.authorizationServerId,
          request.body,
        ),
      ),
  );
}

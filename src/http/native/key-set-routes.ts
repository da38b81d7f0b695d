import type { FastifyInstance } from 'fastify';
import type { RotateMode } from '../../domain/plan-rotate.ts';
import type {
  Algorithm,
  Custody,
  KeySetOwnerType,
  KeyState,
  RotationPolicy,
  RsaModulusLength,
} from '../../domain/types.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { LifecycleResult } from '../../services/create-key-service.ts';
import type { Services } from '../../services/create-services.ts';
import { requestContext, tenantIdOf } from './request-context.ts';
import { keyResource, keySetResource, transitionResource } from './resources.ts';
import {
  CUSTODY_SCHEMA,
  ALGORITHM_SCHEMA,
  ERROR_RESPONSES,
  PRIVATE_KEY_SCHEMA,
  KEY_SCHEMA,
  KEY_SET_SCHEMA,
  KEY_STATE_SCHEMA,
  LIFECYCLE_RESULT_SCHEMA,
  POLICY_SCHEMA,
  TRANSITION_SCHEMA,
} from './schemas.ts';

const keySetParams = {
  type: 'object',
  required: ['keySetId'],
  properties: { keySetId: { type: 'string', maxLength: 64 } },
} as const;
const keyParams = {
  type: 'object',
  required: ['keySetId', 'kid'],
  properties: { keySetId: { type: 'string', maxLength: 64 }, kid: { type: 'string', maxLength: 128 } },
} as const;
const read = { surface: 'native' as const, scope: 'keys:read' as const };
const write = { surface: 'native' as const, scope: 'keys:write' as const };

/** Native key-set and key routes: create, read, policy, schedule (`/plan`), list, rotate, revoke, emergency rotate, import. */
export async function keySetRoutes(
  app: FastifyInstance,
  { services, registry }: { services: Services; registry: Registry },
): Promise<void> {
  const lifecycle = (result: LifecycleResult) => ({
    keySet: keySetResource(result.keySet, registry.getKeySetView(result.keySet.id)),
    keys: result.keys.map(keyResource),
    changed: result.changed.map(keyResource),
    created: result.created ? keyResource(result.created) : null,
  });

  app.get<{ Querystring: { ownerType?: KeySetOwnerType; ownerId?: string } }>(
    '/key-sets',
    {
      config: read,
      schema: {
        summary: 'List key sets',
        tags: ['key sets'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ownerType: { type: 'string', enum: ['authorizationServer', 'identityProvider'] },
            ownerId: { type: 'string' },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: KEY_SET_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const { ownerType, ownerId } = request.query;
      const owner = ownerId !== undefined ? { ownerType: ownerType ?? 'authorizationServer', ownerId } : undefined;
      const keySets = await services.keys.listKeySets(tenantIdOf(request), owner);
      return { items: keySets.map((keySet) => keySetResource(keySet, registry.getKeySetView(keySet.id))) };
    },
  );

  app.post<{
    Body: {
      ownerType?: KeySetOwnerType;
      ownerId: string;
      alg: Algorithm;
      rsaModulusLength?: RsaModulusLength;
      policy?: Partial<RotationPolicy>;
      privateKey?: string | Record<string, unknown>;
      custody?: Custody;
    };
  }>(
    '/key-sets',
    {
      config: write,
      schema: {
        summary: 'Create a key set (one active and one next key) for an authorization server',
        description:
          'With privateKey (PEM or private JWK), that key becomes the active key, so tokens it signed elsewhere keep verifying.',
        tags: ['key sets'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['ownerId', 'alg'],
          properties: {
            ownerType: { type: 'string', enum: ['authorizationServer'] },
            ownerId: { type: 'string', maxLength: 63 },
            alg: ALGORITHM_SCHEMA,
            rsaModulusLength: { type: 'integer', enum: [2048, 3072, 4096] },
            policy: POLICY_SCHEMA,
            privateKey: PRIVATE_KEY_SCHEMA,
            custody: CUSTODY_SCHEMA,
          },
        },
        response: { 201: LIFECYCLE_RESULT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { ownerId, alg, rsaModulusLength, policy, privateKey, custody } = request.body;
      const result = await services.keys.createKeySet(requestContext(request), tenantIdOf(request), {
        ownerType: 'authorizationServer',
        ownerId,
        alg,
        rsaModulusLength: rsaModulusLength ?? null,
        policy: policy ?? {},
        ...(privateKey !== undefined ? { privateKey } : {}),
        ...(custody !== undefined ? { custody } : {}),
      });
      return reply.code(201).send(lifecycle(result));
    },
  );

  app.get<{ Params: { keySetId: string } }>(
    '/key-sets/:keySetId',
    {
      config: read,
      schema: {
        summary: 'Read a key set',
        tags: ['key sets'],
        params: keySetParams,
        response: { 200: KEY_SET_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const keySet = await services.keys.getKeySet(tenantIdOf(request), request.params.keySetId);
      return keySetResource(keySet, registry.getKeySetView(keySet.id));
    },
  );

  app.patch<{ Params: { keySetId: string }; Body: { policy: Partial<RotationPolicy> } }>(
    '/key-sets/:keySetId',
    {
      config: write,
      schema: {
        summary: 'Change the rotation policy',
        tags: ['key sets'],
        params: keySetParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['policy'],
          properties: { policy: POLICY_SCHEMA },
        },
        response: { 200: KEY_SET_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const keySet = await services.keys.updatePolicy(
        requestContext(request),
        tenantIdOf(request),
        request.params.keySetId,
        request.body.policy,
      );
      return keySetResource(keySet, registry.getKeySetView(keySet.id));
    },
  );

  app.get<{ Params: { keySetId: string } }>(
    '/key-sets/:keySetId/plan',
    {
      config: read,
      schema: {
        summary: 'The rotation plan: every scheduled transition, soonest first',
        tags: ['key sets'],
        params: keySetParams,
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: TRANSITION_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => ({
      items: (await services.keys.getSchedule(tenantIdOf(request), request.params.keySetId)).map(transitionResource),
    }),
  );

  app.get<{ Params: { keySetId: string }; Querystring: { state?: KeyState[] } }>(
    '/key-sets/:keySetId/keys',
    {
      config: read,
      schema: {
        summary: 'List keys, optionally by state',
        tags: ['keys'],
        params: keySetParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { state: { type: 'array', items: KEY_STATE_SCHEMA } },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: KEY_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const keys = await services.keys.listKeys(tenantIdOf(request), request.params.keySetId, request.query.state);
      return { items: keys.map(keyResource) };
    },
  );

  app.get<{ Params: { keySetId: string; kid: string } }>(
    '/key-sets/:keySetId/keys/:kid',
    {
      config: read,
      schema: {
        summary: 'Read a key',
        tags: ['keys'],
        params: keyParams,
        response: { 200: KEY_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      keyResource(await services.keys.getKey(tenantIdOf(request), request.params.keySetId, request.params.kid)),
  );

  app.post<{ Params: { keySetId: string }; Body: { force?: boolean } | undefined }>(
    '/key-sets/:keySetId/rotate',
    {
      config: write,
      schema: {
        summary: 'Rotate: next becomes active, active starts draining, a fresh next key is published',
        description:
          'Refused with 409 ERR_ROTATION_UNSAFE and the earliest safe time while the next key has been published for less than jwksMaxAgeSeconds + clockSkewSeconds, unless force is true.',
        tags: ['keys'],
        params: keySetParams,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { force: { type: 'boolean' } } },
        response: { 200: LIFECYCLE_RESULT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const mode: RotateMode = request.body?.force ? 'force' : 'safe';
      return lifecycle(
        await services.keys.rotate(requestContext(request), tenantIdOf(request), request.params.keySetId, mode),
      );
    },
  );

  app.post<{ Params: { keySetId: string } }>(
    '/key-sets/:keySetId/emergency-rotate',
    {
      config: write,
      schema: {
        summary: 'Emergency rotate: rotate now and revoke the old active key in one transaction',
        tags: ['keys'],
        params: keySetParams,
        body: { type: ['object', 'null'], additionalProperties: false, properties: {} },
        response: { 200: LIFECYCLE_RESULT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      lifecycle(
        await services.keys.emergencyRotate(requestContext(request), tenantIdOf(request), request.params.keySetId),
      ),
  );

  app.post<{ Params: { keySetId: string; kid: string } }>(
    '/key-sets/:keySetId/keys/:kid/revoke',
    {
      config: write,
      schema: {
        summary:
          'Revoke a draining key (leaves the JWKS at once) or the next key (replaced); the active key is refused',
        tags: ['keys'],
        params: keyParams,
        body: { type: ['object', 'null'], additionalProperties: false, properties: {} },
        response: { 200: LIFECYCLE_RESULT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      lifecycle(
        await services.keys.revoke(
          requestContext(request),
          tenantIdOf(request),
          request.params.keySetId,
          request.params.kid,
        ),
      ),
  );

  app.post<{ Params: { keySetId: string }; Body: { privateKey: string | Record<string, unknown>; kid?: string } }>(
    '/key-sets/:keySetId/keys/import',
    {
      config: write,
      schema: {
        summary: 'Import a PEM or JWK private key as the next key',
        description:
          "The key keeps the given kid, else the JWK's kid, else gets its RFC 7638 thumbprint, so tokens signed before a move keep matching.",
        tags: ['keys'],
        params: keySetParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['privateKey'],
          properties: { privateKey: PRIVATE_KEY_SCHEMA, kid: { type: 'string', maxLength: 128 } },
        },
        response: { 201: LIFECYCLE_RESULT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await services.keys.importKey(
        requestContext(request),
        tenantIdOf(request),
        request.params.keySetId,
        request.body.privateKey,
        request.body.kid,
      );
      return reply.code(201).send(lifecycle(result));
    },
  );
}

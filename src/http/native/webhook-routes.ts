import type { FastifyInstance } from 'fastify';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhook-event-types.ts';
import type { Services } from '../../services/create-services.ts';
import type { WebhookInput } from '../../services/create-webhook-service.ts';
import { requestContext, tenantIdOf } from './request-context.ts';
import { dateTime, ERROR_RESPONSES, nullableDateTime, nullableString } from './schemas.ts';
import { webhookDeliveryResource, webhookResource } from './webhook-resources.ts';

const WEBHOOK_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tenantId: { type: 'string' },
    url: { type: 'string' },
    eventTypes: { type: ['array', 'null'], items: { type: 'string' } },
    keySetIds: { type: ['array', 'null'], items: { type: 'string' } },
    enabled: { type: 'boolean' },
    status: { type: 'string', enum: ['healthy', 'failing', 'paused'] },
    consecutiveFailures: { type: 'integer' },
    previousSecretExpiresAt: nullableDateTime,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

const DELIVERY_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    webhookId: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    subject: nullableString,
    eventTime: dateTime,
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: 'integer' },
    nextAttemptAt: nullableDateTime,
    lastResponseCode: { type: ['integer', 'null'] },
    lastError: nullableString,
    deliveredAt: nullableDateTime,
    attemptLog: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: dateTime,
          outcome: { type: 'string', enum: ['delivered', 'failed'] },
          responseCode: { type: ['integer', 'null'] },
          latencyMs: { type: 'integer' },
          error: nullableString,
        },
      },
    },
  },
} as const;

const EVENT_TYPES_BODY = {
  type: ['array', 'null'],
  items: { type: 'string', maxLength: 100 },
  maxItems: 64,
  description: `Event types to send (null or absent: all): ${WEBHOOK_EVENT_TYPES.join(', ')}`,
} as const;
const KEY_SET_IDS_BODY = {
  type: ['array', 'null'],
  items: { type: 'string', minLength: 1, maxLength: 128 },
  maxItems: 100,
  description: 'Only events of these key sets (null or absent: all)',
} as const;
const URL_BODY = { type: 'string', minLength: 1, maxLength: 2048 } as const;
const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', maxLength: 128 } } } as const;
const WITH_SECRET = {
  type: 'object',
  properties: {
    webhook: WEBHOOK_SCHEMA,
    secret: { type: 'string', description: 'Standard Webhooks secret, shown once' },
  },
} as const;

/** Native routes for webhook subscriptions and their deliveries (docs/events.md). */
export async function webhookRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const read = { surface: 'native' as const, scope: 'webhooks:read' as const };
  const write = { surface: 'native' as const, scope: 'webhooks:write' as const };
  const tags = ['webhooks'];

  app.get(
    '/webhooks',
    {
      config: read,
      schema: {
        summary: 'List webhook subscriptions',
        tags,
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: WEBHOOK_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => ({ items: (await services.webhooks.list(tenantIdOf(request))).map(webhookResource) }),
  );

  app.post<{ Body: WebhookInput & { url: string } }>(
    '/webhooks',
    {
      config: write,
      schema: {
        summary: 'Subscribe a URL to lifecycle events; the signing secret is shown once',
        tags,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: URL_BODY,
            eventTypes: EVENT_TYPES_BODY,
            keySetIds: KEY_SET_IDS_BODY,
            enabled: { type: 'boolean' },
          },
        },
        response: { 201: WITH_SECRET, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await services.webhooks.create(
        requestContext(request),
        tenantIdOf(request),
        request.body,
      );
      return reply.code(201).send({ webhook: webhookResource(webhook), secret });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/webhooks/:id',
    {
      config: read,
      schema: {
        summary: 'Get a webhook subscription',
        tags,
        params: ID_PARAMS,
        response: { 200: { type: 'object', properties: { webhook: WEBHOOK_SCHEMA } }, ...ERROR_RESPONSES },
      },
    },
    async (request) => ({
      webhook: webhookResource(await services.webhooks.get(tenantIdOf(request), request.params.id)),
    }),
  );

  app.patch<{ Params: { id: string }; Body: WebhookInput & { rotateSecret?: boolean } }>(
    '/webhooks/:id',
    {
      config: write,
      schema: {
        summary: 'Change a subscription, pause or resume it, or rotate its secret (the new one is shown once)',
        tags,
        params: ID_PARAMS,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            url: URL_BODY,
            eventTypes: EVENT_TYPES_BODY,
            keySetIds: KEY_SET_IDS_BODY,
            enabled: { type: 'boolean' },
            rotateSecret: {
              type: 'boolean',
              description: 'Make a new secret; the old one keeps signing for a grace period',
            },
          },
        },
        response: { 200: WITH_SECRET, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { webhook, secret } = await services.webhooks.update(
        requestContext(request),
        tenantIdOf(request),
        request.params.id,
        request.body,
      );
      return { webhook: webhookResource(webhook), ...(secret === undefined ? {} : { secret }) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/webhooks/:id',
    {
      config: write,
      schema: { summary: 'Delete a webhook subscription', tags, params: ID_PARAMS, response: { ...ERROR_RESPONSES } },
    },
    async (request, reply) => {
      await services.webhooks.remove(requestContext(request), tenantIdOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/webhooks/:id/deliveries',
    {
      config: read,
      schema: {
        summary: 'List deliveries of a subscription, newest event first, with every attempt',
        tags,
        params: ID_PARAMS,
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 200 } } },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: DELIVERY_SCHEMA } } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => ({
      items: (
        await services.webhooks.listDeliveries(tenantIdOf(request), request.params.id, request.query.limit ?? 50)
      ).map(webhookDeliveryResource),
    }),
  );

  app.post<{ Params: { id: string; deliveryId: string } }>(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: write,
      schema: {
        summary: 'Send a delivery again; deliveryId `failed` queues every failed delivery of the subscription',
        tags,
        params: {
          type: 'object',
          properties: { id: { type: 'string', maxLength: 128 }, deliveryId: { type: 'string', maxLength: 128 } },
        },
        response: { 202: { type: 'object', properties: { queued: { type: 'integer' } } }, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { id, deliveryId } = request.params;
      const queued = await services.webhooks.redeliver(
        requestContext(request),
        tenantIdOf(request),
        id,
        deliveryId === 'failed' ? null : deliveryId,
      );
      return reply.code(202).send({ queued });
    },
  );
}

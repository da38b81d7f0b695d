import type { FastifyInstance } from 'fastify';
import { SignetError } from '../../errors.ts';
import type { AuditAction } from '../../domain/types.ts';
import type { Services } from '../../services/create-services.ts';
import { tenantIdOf } from './request-context.ts';
import { auditEventResource, signersResource } from './resources.ts';
import { AUDIT_EVENT_SCHEMA, ERROR_RESPONSES } from './schemas.ts';

interface AuditQuery {
  keySetId?: string;
  kid?: string;
  action?: AuditAction;
  excludeAction?: AuditAction;
  since?: string;
  until?: string;
  before?: number;
  limit?: number;
}

function parseTime(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new SignetError('ERR_VALIDATION', `${field} must be an RFC 3339 date-time`, { fields: [field] });
  return ms;
}

const SIGNERS_SCHEMA = {
  type: 'object',
  required: ['kid', 'signers'],
  properties: {
    kid: { type: 'string' },
    signers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['credentialId', 'count', 'firstAt', 'lastAt'],
        properties: {
          credentialId: { type: 'string' },
          count: { type: 'integer' },
          firstAt: { type: 'string', format: 'date-time', description: 'the first minute it signed in' },
          lastAt: { type: 'string', format: 'date-time', description: 'the last minute it signed in' },
        },
      },
    },
  },
} as const;

/** Native audit-log routes: the log with filters and a cursor, and who signed with a kid. */
export async function auditRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get<{ Querystring: AuditQuery }>(
    '/audit-events',
    {
      config: { surface: 'native', scope: 'audit:read' },
      schema: {
        summary: 'List audit events, newest first',
        tags: ['audit'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            keySetId: { type: 'string' },
            kid: { type: 'string' },
            action: { type: 'string' },
            excludeAction: { type: 'string', description: 'every action but this one' },
            since: { type: 'string', description: 'RFC 3339, inclusive' },
            until: { type: 'string', description: 'RFC 3339, exclusive' },
            before: { type: 'integer', minimum: 1, description: 'cursor: nextBefore of the previous page' },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: AUDIT_EVENT_SCHEMA },
              nextBefore: { type: ['integer', 'null'] },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const { keySetId, kid, action, excludeAction, since, until, before, limit } = request.query;
      const page = await services.audit.listAuditEvents(tenantIdOf(request), {
        ...(keySetId !== undefined ? { keySetId } : {}),
        ...(kid !== undefined ? { kid } : {}),
        ...(action !== undefined ? { action } : {}),
        ...(excludeAction !== undefined ? { excludeAction } : {}),
        ...(since !== undefined ? { since: parseTime('since', since)! } : {}),
        ...(until !== undefined ? { until: parseTime('until', until)! } : {}),
        ...(before !== undefined ? { beforeId: before } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      return { items: page.items.map(auditEventResource), nextBefore: page.nextBeforeId };
    },
  );

  app.get<{ Params: { keySetId: string; kid: string } }>(
    '/key-sets/:keySetId/keys/:kid/signers',
    {
      config: { surface: 'native', scope: 'audit:read' },
      schema: {
        summary: 'Which credentials signed with a key, how many tokens, between which minutes',
        description:
          "Summed from every instance's key.signatures audit events, which each instance writes every signatureFlushIntervalSeconds and on shutdown.",
        tags: ['audit'],
        params: {
          type: 'object',
          required: ['keySetId', 'kid'],
          properties: { keySetId: { type: 'string', maxLength: 64 }, kid: { type: 'string', maxLength: 128 } },
        },
        response: { 200: SIGNERS_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const tenantId = tenantIdOf(request);
      const { keySetId, kid } = request.params;
      await services.keys.getKey(tenantId, keySetId, kid);
      return signersResource(kid, await services.audit.listSigners(tenantId, kid, keySetId));
    },
  );
}

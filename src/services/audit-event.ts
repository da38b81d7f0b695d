import type { AuditAction, KeyState, NewAuditEvent, RequestContext } from '../domain/types.ts';

/** What an audit event says beyond who asked: the rest is taken from the request context. */
export interface AuditFields {
  tenantId: string;
  at: number;
  action: AuditAction;
  /** The use case that caused the event: `rotate`, `schedule`, `createTenant`, ... */
  operation: string;
  keySetId?: string | null;
  kid?: string | null;
  fromState?: KeyState | null;
  toState?: KeyState | null;
  details?: Record<string, unknown>;
}

/**
 * Builds the audit event of a use case (I5): actor, request id and source address from the
 * context, and `details.surface`, the surface the change came through, on every event.
 */
export function auditEvent(context: RequestContext, fields: AuditFields): NewAuditEvent {
  return {
    tenantId: fields.tenantId,
    at: fields.at,
    actor: context.actor,
    action: fields.action,
    keySetId: fields.keySetId ?? null,
    kid: fields.kid ?? null,
    fromState: fields.fromState ?? null,
    toState: fields.toState ?? null,
    operation: fields.operation,
    sourceIp: context.sourceIp,
    requestId: context.requestId,
    details: { ...fields.details, surface: context.surface },
  };
}

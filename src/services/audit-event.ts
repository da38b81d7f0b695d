import type { AuditAction, KeyState, NewAuditEvent, RequestContext } from '../domain/types.ts';

/** What an audit event may say beyond who, when, what and which use case. */
export interface AuditFields {
  keySetId?: string | null;
  kid?: string | null;
  fromState?: KeyState | null;
  toState?: KeyState | null;
  details?: Record<string, unknown>;
}

/**
 * Builds the audit event of a use case (I5), to append in the use case's own transaction: actor,
 * request id and source address come from the context, and so does `details.surface`, the surface
 * the change came through, on every event. `operation` names the use case (`rotate`, `schedule`, ...).
 */
export function auditEvent(
  context: RequestContext,
  tenantId: string,
  at: number,
  action: AuditAction,
  operation: string,
  fields: AuditFields = {},
): NewAuditEvent {
  return {
    tenantId,
    at,
    actor: context.actor,
    action,
    keySetId: fields.keySetId ?? null,
    kid: fields.kid ?? null,
    fromState: fields.fromState ?? null,
    toState: fields.toState ?? null,
    operation,
    sourceIp: context.sourceIp,
    requestId: context.requestId,
    details: { ...fields.details, surface: context.surface },
  };
}

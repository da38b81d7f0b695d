import type { AuditAction, RequestContext } from '../domain/types.ts';
import type { StoreTx } from '../storage/store.ts';

/** Appends an audit event that concerns no key-state change (identity providers, key store, CSRs), in the caller's transaction. */
export async function auditEvent(
  tx: StoreTx,
  context: RequestContext,
  tenantId: string,
  at: number,
  action: AuditAction,
  operation: string,
  fields: { kid?: string | null; keySetId?: string | null; details?: Record<string, unknown> } = {},
): Promise<void> {
  await tx.appendAuditEvent({
    tenantId,
    at,
    actor: context.actor,
    action,
    keySetId: fields.keySetId ?? null,
    kid: fields.kid ?? null,
    fromState: null,
    toState: null,
    operation,
    sourceIp: context.sourceIp,
    requestId: context.requestId,
    details: { ...(fields.details ?? {}), ...(context.surface !== undefined ? { surface: context.surface } : {}) },
  });
}

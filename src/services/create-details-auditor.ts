import type { AuditAction, RequestContext } from '../domain/types.ts';
import type { StoreTx } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';

/** Appends, in the caller's transaction, an audit event whose action names its use case and whose facts are `details`. */
export type DetailsAuditor = (
  tx: Pick<StoreTx, 'appendAuditEvent'>,
  context: RequestContext,
  tenantId: string,
  action: AuditAction,
  details: Record<string, unknown>,
) => Promise<void>;

/**
 * The audit writer of the services whose events concern no key (credentials, webhooks): the
 * operation is the action itself, the time `now()` (I5, src/services/audit-event.ts).
 */
export function createDetailsAuditor(now: () => number): DetailsAuditor {
  return async (tx, context, tenantId, action, details) => {
    await tx.appendAuditEvent(auditEvent(context, tenantId, now(), action, action, { details }));
  };
}

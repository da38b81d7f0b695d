import type { KeyChange } from '../domain/key-change.ts';
import type { AuditAction, Key, KeySet, RequestContext } from '../domain/types.ts';
import type { StoreTx } from '../storage/store.ts';

/** Writes one audit event per key change, in the caller's transaction (I5). */
export async function auditKeyChanges(
  tx: StoreTx,
  context: RequestContext,
  keySet: KeySet,
  changes: readonly KeyChange[],
  operation: string,
  now: number,
): Promise<void> {
  for (const change of changes) {
    await tx.appendAuditEvent({
      tenantId: keySet.tenantId,
      at: now,
      actor: context.actor,
      action: change.action,
      keySetId: keySet.id,
      kid: change.kid,
      fromState: change.from,
      toState: change.to,
      operation,
      sourceIp: context.sourceIp,
      requestId: context.requestId,
      details: surfaceDetails(context),
    });
  }
}

/** Writes the audit event of a key that entered the key set (generated or imported). */
export async function auditNewKey(
  tx: StoreTx,
  context: RequestContext,
  keySet: KeySet,
  key: Pick<Key, 'kid' | 'state' | 'origin'>,
  operation: string,
  now: number,
): Promise<void> {
  const action: AuditAction = key.origin === 'imported' ? 'key.imported' : 'key.generated';
  const { kid, state } = key;
  await tx.appendAuditEvent({
    tenantId: keySet.tenantId,
    at: now,
    actor: context.actor,
    action,
    keySetId: keySet.id,
    kid,
    fromState: null,
    toState: state,
    operation,
    sourceIp: context.sourceIp,
    requestId: context.requestId,
    details: surfaceDetails(context),
  });
}

/** Which vendor dialect caused a change, when one did. */
function surfaceDetails(context: RequestContext): Record<string, unknown> {
  return context.surface === undefined ? {} : { surface: context.surface };
}

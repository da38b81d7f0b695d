import type { Custodies } from '../custody/create-custodies.ts';
import { custodyRef } from '../custody/create-custodies.ts';
import type { Key, KeySet, RequestContext } from '../domain/types.ts';
import type { Store } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';

/**
 * Destroys on the token the private keys of `keys` that left the published set for good (retired
 * or revoked); sealed keys have nothing to destroy. Runs after the lifecycle transaction committed:
 * a token that is away leaves the object for the sweep (sweepLeftTokenObjects), and never undoes
 * the committed change. Destroying is idempotent and each key gets one `key.destroyed` event, however
 * many calls or instances sharing the token destroy it: the event is written under the key set's
 * lock only when none exists yet. Answers the keys destroyed (or found already gone) by this call.
 */
export async function destroyLeftKeys(
  deps: { store: Store; custodies: Custodies; now: () => number },
  context: RequestContext,
  keySet: KeySet,
  keys: readonly Key[],
  details: Record<string, unknown> = {},
): Promise<Key[]> {
  const destroyed: Key[] = [];
  for (const key of keys) {
    if (key.tokenObjectId === null || (key.state !== 'retired' && key.state !== 'revoked')) continue;
    try {
      await deps.custodies.get(keySet.custody).destroy(custodyRef(key));
    } catch {
      continue;
    }
    destroyed.push(key);
    await deps.store.transaction(async (tx) => {
      await tx.lockKeySet(keySet.id);
      const filter = { tenantId: keySet.tenantId, keySetId: keySet.id, kid: key.kid, action: 'key.destroyed' as const };
      if ((await tx.listAuditEvents({ ...filter, limit: 1 })).length > 0) return;
      await tx.appendAuditEvent(
        auditEvent(context, keySet.tenantId, deps.now(), 'key.destroyed', 'destroyOnToken', {
          keySetId: keySet.id,
          kid: key.kid,
          fromState: key.state,
          toState: key.state,
          details: { custody: 'pkcs11', ...details },
        }),
      );
    });
  }
  return destroyed;
}

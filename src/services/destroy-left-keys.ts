import type { Custodies } from '../custody/create-custodies.ts';
import { custodyRef } from '../custody/create-custodies.ts';
import type { Key, KeySet, RequestContext } from '../domain/types.ts';
import type { Store } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';

/**
 * Destroys on the token the private keys of `keys` that left the published set for good (retired
 * or revoked), each destruction with its audit event; sealed keys have nothing to destroy. Runs
 * after the lifecycle transaction committed: a token that is away leaves the object for a later
 * call (destroying is idempotent), and never undoes the committed change.
 */
export async function destroyLeftKeys(
  deps: { store: Store; custodies: Custodies; now: () => number },
  context: RequestContext,
  keySet: KeySet,
  keys: readonly Key[],
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
    await deps.store.transaction((tx) =>
      tx.appendAuditEvent(
        auditEvent(context, keySet.tenantId, deps.now(), 'key.destroyed', 'destroyOnToken', {
          keySetId: keySet.id,
          kid: key.kid,
          fromState: key.state,
          toState: key.state,
          details: { custody: 'pkcs11' },
        }),
      ),
    );
  }
  return destroyed;
}

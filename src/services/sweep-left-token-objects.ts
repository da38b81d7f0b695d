import type { Custodies } from '../custody/create-custodies.ts';
import type { Key, RequestContext } from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store } from '../storage/store.ts';
import { destroyLeftKeys } from './destroy-left-keys.ts';

/**
 * Destroys the token objects of retired and revoked `pkcs11` keys that are still on the token
 * (their destruction failed while the token was away), each audited once (destroyLeftKeys), so
 * every instance sharing the token may run it. One scan of the token; the database is read only
 * when the token holds objects that no published key explains. Answers the keys destroyed; throws
 * ERR_CUSTODY_UNAVAILABLE while the token is away (the next sweep retries).
 */
export async function sweepLeftTokenObjects(
  deps: { store: Store; custodies: Custodies; registry: Registry; now: () => number },
  context: RequestContext,
): Promise<Key[]> {
  const custody = deps.custodies.find('pkcs11');
  if (custody === null) return [];
  const held = new Set(await custody.listHeldObjectIds());
  const views = deps.registry.listKeySetViews().filter((view) => view.keySet.custody === 'pkcs11');
  for (const view of views) for (const key of view.keys) if (key.tokenObjectId) held.delete(key.tokenObjectId);
  // What is left is a retired or revoked key's object, a key being minted or lost in a race, or another deployment's.
  if (held.size === 0) return [];
  const destroyed: Key[] = [];
  for (const view of views) {
    const left = (await deps.store.read((reader) => reader.listKeys(view.keySet.id, ['retired', 'revoked']))).filter(
      (key) => key.tokenObjectId !== null && held.has(key.tokenObjectId),
    );
    if (left.length === 0) continue;
    destroyed.push(...(await destroyLeftKeys(deps, context, view.keySet, left, { sweep: true })));
  }
  return destroyed;
}

import type { KeyResource, LifecycleResponse } from '../http/native/resource-types.ts';

/** Describes a lifecycle response: each changed key in its new state, the created key, then the key set's current keys. */
export function formatLifecycle(result: LifecycleResponse): string {
  const created = result.created;
  const lines = result.changed
    .filter((key) => key.kid !== created?.kid)
    .map((key) => `kid ${key.kid}: now ${describe(key)}`);
  if (created) lines.push(`kid ${created.kid}: created as ${describe(created)}`);
  if (lines.length === 0) lines.push('no key changed');
  lines.push(
    `key set ${result.keySet.id}: active ${result.keySet.activeKid ?? '-'}, next ${result.keySet.nextKid ?? '-'}`,
  );
  return lines.join('\n');
}

function describe(key: KeyResource): string {
  return key.state === 'draining' && key.retireAt ? `draining (retires at ${key.retireAt})` : key.state;
}

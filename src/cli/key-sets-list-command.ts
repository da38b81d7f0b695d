import type { KeySetResource, ListResponse } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';

/** `signet key-sets list`: every key set of the tenant with its current keys and next scheduled step. */
export const keySetsListCommand: Command = {
  usage: '[--auth-server ID]',
  summary: 'list key sets, optionally only the one of an authorization server',
  options: { 'auth-server': { type: 'string' } },
  async run(context) {
    const authServerId = context.flag('auth-server');
    const query = authServerId === undefined ? {} : { ownerType: 'authorizationServer', ownerId: authServerId };
    const body = await context.api.request<ListResponse<KeySetResource>>('GET', '/key-sets', { query });
    const rows = body.items.map((keySet) => [
      keySet.id,
      keySet.ownerId,
      keySet.alg,
      keySet.custody,
      keySet.policy.mode,
      keySet.activeKid,
      keySet.nextKid,
      keySet.nextTransition ? `${keySet.nextTransition.action} at ${keySet.nextTransition.at}` : null,
    ]);
    return {
      data: body,
      text: formatTable(['ID', 'OWNER', 'ALG', 'CUSTODY', 'MODE', 'ACTIVE KID', 'NEXT KID', 'NEXT TRANSITION'], rows),
    };
  },
};

import { apiPath } from './api-path.ts';
import type { KeyResource, ListResponse } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';
import { KEY_SET_OPTIONS, KEY_SET_USAGE, resolveKeySetId } from './resolve-key-set-id.ts';

/** `signet keys list`: the keys of a key set, optionally only those in the given states. */
export const keysListCommand: Command = {
  usage: `${KEY_SET_USAGE} [--state STATE]...`,
  summary: 'list keys (STATE: next, active, draining, retired, revoked)',
  options: { ...KEY_SET_OPTIONS, state: { type: 'string', multiple: true } },
  async run(context) {
    const keySetId = await resolveKeySetId(context);
    const body = await context.api.request<ListResponse<KeyResource>>('GET', apiPath`/key-sets/${keySetId}/keys`, {
      query: { state: context.flags('state') },
    });
    const rows = body.items.map((key) => [
      key.kid,
      key.state,
      key.alg,
      key.activatedAt,
      key.drainingSince,
      key.retireAt,
      key.certificate.notAfter,
    ]);
    return {
      data: body,
      text: formatTable(['KID', 'STATE', 'ALG', 'ACTIVATED', 'DRAINING SINCE', 'RETIRES AT', 'CERT EXPIRES'], rows),
    };
  },
};

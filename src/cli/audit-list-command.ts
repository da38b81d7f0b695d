import type { AuditEventResource, ListResponse } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';

/** `signet audit list`: audit events, newest first, filtered by key set, kid, action and time. */
export const auditListCommand: Command = {
  usage: '[--key-set ID] [--kid KID] [--action ACTION] [--since TIME] [--until TIME] [--limit N] [--before CURSOR]',
  summary: 'list audit events, newest first (TIME is RFC 3339)',
  options: {
    'key-set': { type: 'string' },
    kid: { type: 'string' },
    action: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    before: { type: 'string' },
  },
  async run(context) {
    const query = {
      keySetId: context.flag('key-set'),
      kid: context.flag('kid'),
      action: context.flag('action'),
      since: context.flag('since'),
      until: context.flag('until'),
      limit: context.flag('limit'),
      before: context.flag('before'),
    };
    const page = await context.api.request<ListResponse<AuditEventResource> & { nextBefore: number | null }>(
      'GET',
      '/audit-events',
      { query },
    );
    const rows = page.items.map((event) => [
      event.at,
      event.action,
      event.keySetId,
      event.kid,
      event.fromState || event.toState ? `${event.fromState ?? '-'} -> ${event.toState ?? '-'}` : null,
      `${event.actor.type}:${event.actor.id}`,
    ]);
    const text = formatTable(['AT', 'ACTION', 'KEY SET', 'KID', 'CHANGE', 'ACTOR'], rows);
    return {
      data: page,
      text,
      ...(page.nextBefore !== null ? { notice: `more events: add --before ${page.nextBefore}` } : {}),
    };
  },
};

import type { ParseArgsOptionsConfig } from 'node:util';
import type { CommandContext } from './command.ts';

/** The flags `webhooks create` and `webhooks update` share. */
export const WEBHOOK_INPUT_OPTIONS: ParseArgsOptionsConfig = {
  event: { type: 'string', multiple: true },
  'key-set': { type: 'string', multiple: true },
  'all-events': { type: 'boolean' },
  'all-key-sets': { type: 'boolean' },
  paused: { type: 'boolean' },
};

/** The request body fields the shared flags set (absent flags leave a field out). */
export function webhookInputOf(context: CommandContext): Record<string, unknown> {
  const events = context.flags('event');
  const keySets = context.flags('key-set');
  return {
    ...(events.length > 0 ? { eventTypes: events } : context.isSet('all-events') ? { eventTypes: null } : {}),
    ...(keySets.length > 0 ? { keySetIds: keySets } : context.isSet('all-key-sets') ? { keySetIds: null } : {}),
    ...(context.isSet('paused') ? { enabled: false } : {}),
  };
}

/** One line naming a subscription and what it receives. */
export function describeWebhook(webhook: {
  id: string;
  url: string;
  status: string;
  eventTypes: string[] | null;
  keySetIds: string[] | null;
}): string {
  return `${webhook.id} ${webhook.url} (${webhook.status}; events: ${webhook.eventTypes?.join(' ') ?? 'all'}; key sets: ${webhook.keySetIds?.join(' ') ?? 'all'})`;
}

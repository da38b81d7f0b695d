import type { ListResponse, WebhookResource } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';

/** `signet webhooks list`: the tenant's webhook subscriptions and their health. */
export const webhooksListCommand: Command = {
  usage: '',
  summary: 'list webhook subscriptions',
  async run(context) {
    const body = await context.api.request<ListResponse<WebhookResource>>('GET', '/webhooks');
    const rows = body.items.map((webhook) => [
      webhook.id,
      webhook.url,
      webhook.status,
      webhook.eventTypes?.join(' ') ?? 'all',
      webhook.keySetIds?.join(' ') ?? 'all',
    ]);
    return { data: body, text: formatTable(['ID', 'URL', 'STATUS', 'EVENTS', 'KEY SETS'], rows) };
  },
};

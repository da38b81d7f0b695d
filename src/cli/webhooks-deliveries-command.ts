import type { ListResponse, WebhookDeliveryResource } from '../http/native/resource-types.ts';
import { apiPath } from './api-path.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';

/** `signet webhooks deliveries ID [--limit N]`: newest event first, with the last attempt's outcome. */
export const webhooksDeliveriesCommand: Command = {
  usage: 'ID [--limit N]',
  summary: 'list deliveries of a webhook subscription and their attempts',
  options: { limit: { type: 'string' } },
  args: ['ID'],
  async run(context) {
    const limit = context.flag('limit');
    const body = await context.api.request<ListResponse<WebhookDeliveryResource>>(
      'GET',
      `${apiPath`/webhooks/${context.args[0]!}/deliveries`}${limit === undefined ? '' : `?limit=${encodeURIComponent(limit)}`}`,
    );
    const rows = body.items.map((delivery) => [
      delivery.id,
      delivery.eventType,
      delivery.subject ?? '-',
      delivery.status,
      String(delivery.attempts),
      delivery.lastResponseCode === null ? '-' : String(delivery.lastResponseCode),
      delivery.nextAttemptAt ?? delivery.deliveredAt ?? '-',
    ]);
    return {
      data: body,
      text: formatTable(['DELIVERY', 'EVENT', 'SUBJECT', 'STATUS', 'ATTEMPTS', 'LAST CODE', 'NEXT / DELIVERED'], rows),
    };
  },
};

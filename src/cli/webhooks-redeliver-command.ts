import { apiPath } from './api-path.ts';
import { UsageError } from './cli-errors.ts';
import type { Command } from './command.ts';

/** `signet webhooks redeliver ID (DELIVERY_ID | --failed)`: queues one delivery, or every failed one, again. */
export const webhooksRedeliverCommand: Command = {
  usage: 'ID (DELIVERY_ID | --failed)',
  summary: 'send a delivery again, or every failed delivery of the subscription',
  options: { failed: { type: 'boolean' } },
  args: ['ID', '[DELIVERY_ID]'],
  async run(context) {
    const [id, deliveryId] = context.args;
    const which = context.isSet('failed') ? 'failed' : deliveryId;
    if (which === undefined) throw new UsageError('give a DELIVERY_ID or --failed');
    const body = await context.api.request<{ queued: number }>(
      'POST',
      apiPath`/webhooks/${id!}/deliveries/${which}/redeliver`,
    );
    return { data: body, text: `queued ${body.queued} deliver${body.queued === 1 ? 'y' : 'ies'} of webhook ${id}` };
  },
};

import { apiPath } from './api-path.ts';
import type { Command } from './command.ts';

/** `signet webhooks delete ID`: the subscription, its deliveries and their attempts are removed. */
export const webhooksDeleteCommand: Command = {
  usage: 'ID',
  summary: 'delete a webhook subscription',
  args: ['ID'],
  async run(context) {
    const id = context.args[0]!;
    await context.api.request<null>('DELETE', apiPath`/webhooks/${id}`);
    return { data: null, text: `deleted webhook ${id}` };
  },
};

import { apiPath } from './api-path.ts';
import type { Command } from './command.ts';

/** `signet tokens delete ID`: the API token stops authenticating at once. */
export const tokensDeleteCommand: Command = {
  usage: 'ID',
  summary: 'delete an API token',
  args: ['ID'],
  async run(context) {
    const id = context.args[0]!;
    await context.api.request<null>('DELETE', apiPath`/api-tokens/${id}`);
    return { data: null, text: `deleted API token ${id}` };
  },
};

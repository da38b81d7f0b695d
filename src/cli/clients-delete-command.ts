import { apiPath } from './api-path.ts';
import type { Command } from './command.ts';

/** `signet clients delete CLIENT_ID`: the client can no longer obtain tokens. */
export const clientsDeleteCommand: Command = {
  usage: 'CLIENT_ID',
  summary: 'delete an API client',
  args: ['CLIENT_ID'],
  async run(context) {
    const clientId = context.args[0]!;
    await context.api.request<null>('DELETE', apiPath`/clients/${clientId}`);
    return { data: null, text: `deleted client ${clientId}` };
  },
};

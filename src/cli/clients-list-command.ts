import type { ClientResource, ListResponse } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';

/** `signet clients list`: the tenant's API clients (secrets are never listed). */
export const clientsListCommand: Command = {
  usage: '',
  summary: 'list API clients',
  async run(context) {
    const body = await context.api.request<ListResponse<ClientResource>>('GET', '/clients');
    const rows = body.items.map((client) => [client.clientId, client.name, client.scopes.join(' '), client.createdAt]);
    return { data: body, text: formatTable(['CLIENT ID', 'NAME', 'SCOPES', 'CREATED'], rows) };
  },
};

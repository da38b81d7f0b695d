import type { ApiTokenResource, ListResponse } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';

/** `signet tokens list`: the tenant's API tokens (token values are never listed). */
export const tokensListCommand: Command = {
  usage: '',
  summary: 'list API tokens',
  async run(context) {
    const body = await context.api.request<ListResponse<ApiTokenResource>>('GET', '/api-tokens');
    const rows = body.items.map((token) => [token.id, token.name, token.scopes.join(' '), token.createdAt]);
    return { data: body, text: formatTable(['ID', 'NAME', 'SCOPES', 'CREATED'], rows) };
  },
};

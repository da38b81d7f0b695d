import type { ListResponse, TenantResource } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { formatTable } from './format-table.ts';

/** `signet tenants list`: every tenant (needs a root-tenant credential with tenants:read). */
export const tenantsListCommand: Command = {
  usage: '',
  summary: 'list tenants',
  async run(context) {
    const body = await context.api.request<ListResponse<TenantResource>>('GET', '/tenants');
    const rows = body.items.map((tenant) => [
      tenant.id,
      tenant.displayName,
      tenant.hostNames.join(','),
      tenant.createdAt,
    ]);
    return { data: body, text: formatTable(['ID', 'DISPLAY NAME', 'HOST NAMES', 'CREATED'], rows) };
  },
};

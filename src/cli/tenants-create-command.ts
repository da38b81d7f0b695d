import type { AuthorizationServerResource, TenantResource } from '../http/native/resource-types.ts';
import type { Command } from './command.ts';
import { secretNotice } from './secret-notice.ts';

interface CreatedTenant {
  tenant: TenantResource;
  authorizationServer: AuthorizationServerResource;
  adminToken: { id: string; token: string; scopes: string[] };
}

/** `signet tenants create ID`: a tenant with its default authorization server, key set and admin token (shown once). */
export const tenantsCreateCommand: Command = {
  usage: 'ID [--display-name NAME] [--host NAME]...',
  summary: 'create a tenant; prints its admin API token once',
  options: { 'display-name': { type: 'string' }, host: { type: 'string', multiple: true } },
  args: ['ID'],
  async run(context) {
    const displayName = context.flag('display-name');
    const hostNames = context.flags('host');
    const body = {
      id: context.args[0]!,
      ...(displayName !== undefined ? { displayName } : {}),
      ...(hostNames.length > 0 ? { hostNames } : {}),
    };
    const created = await context.api.request<CreatedTenant>('POST', '/tenants', { body });
    const { tenant, authorizationServer, adminToken } = created;
    const text = [
      `created tenant ${tenant.id} (${tenant.displayName})${tenant.hostNames.length > 0 ? ` for ${tenant.hostNames.join(', ')}` : ''}`,
      `authorization server ${authorizationServer.id}, key set ${authorizationServer.signingKeySetId ?? '-'}`,
      `admin API token ${adminToken.id} (${adminToken.scopes.join(' ')}):`,
      adminToken.token,
    ].join('\n');
    return { data: created, text, notice: secretNotice('tenant admin token') };
  },
};

import type { ApiTokenResource } from '../http/native/resource-types.ts';
import { collectScopes, collectSigningServers, describeSigningServers } from './collect-scopes.ts';
import type { Command } from './command.ts';
import { secretNotice } from './secret-notice.ts';

/** `signet tokens create NAME --scope S...`: an API token for the management API; prints it once. */
export const tokensCreateCommand: Command = {
  usage: 'NAME [--scope SCOPE]... [--sign-for AUTH_SERVER_ID]...',
  summary: 'create an API token; prints it once',
  options: { scope: { type: 'string', multiple: true }, 'sign-for': { type: 'string', multiple: true } },
  args: ['NAME'],
  async run(context) {
    const scopes = collectScopes(context);
    const created = await context.api.request<ApiTokenResource & { token: string }>('POST', '/api-tokens', {
      body: { name: context.args[0]!, scopes, ...collectSigningServers(context) },
    });
    const text = [
      `created API token ${created.id} (${created.name}) with scopes: ${created.scopes.join(' ') || '-'}${describeSigningServers(created.authorizationServerIds)}`,
      'token:',
      created.token,
    ].join('\n');
    return { data: created, text, notice: secretNotice('API token') };
  },
};

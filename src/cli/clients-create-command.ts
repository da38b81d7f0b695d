import type { ClientResource } from '../http/native/resource-types.ts';
import { collectScopes, collectSigningServers, describeSigningServers } from './collect-scopes.ts';
import type { Command } from './command.ts';
import { secretNotice } from './secret-notice.ts';

/** `signet clients create NAME --scope S...`: an API client for the token endpoint; prints its secret once. */
export const clientsCreateCommand: Command = {
  usage: 'NAME [--scope SCOPE]... [--sign-for AUTH_SERVER_ID]...',
  summary: 'create an API client; prints its secret once',
  options: { scope: { type: 'string', multiple: true }, 'sign-for': { type: 'string', multiple: true } },
  args: ['NAME'],
  async run(context) {
    const scopes = collectScopes(context);
    const created = await context.api.request<ClientResource & { clientSecret: string }>('POST', '/clients', {
      body: { name: context.args[0]!, scopes, ...collectSigningServers(context) },
    });
    const text = [
      `created client ${created.clientId} (${created.name}) with scopes: ${created.scopes.join(' ') || '-'}${describeSigningServers(created.authorizationServerIds)}`,
      'client secret:',
      created.clientSecret,
    ].join('\n');
    return { data: created, text, notice: secretNotice('client secret') };
  },
};

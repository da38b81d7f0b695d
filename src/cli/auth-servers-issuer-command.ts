import type { AuthorizationServerResource } from '../http/native/resource-types.ts';
import { apiPath } from './api-path.ts';
import type { Command } from './command.ts';

/** `signet auth-servers issuer ID URL|none`: sets (or clears) an authorization server's external issuer. */
export const authServersIssuerCommand: Command = {
  usage: 'ID URL|none',
  summary: "set the external issuer an authorization server's tokens and discovery carry (none: Signet's own)",
  args: ['ID', 'URL'],
  async run(context) {
    const [id, url] = context.args as [string, string];
    const server = await context.api.request<AuthorizationServerResource>(
      'PATCH',
      apiPath`/authorization-servers/${id}`,
      { body: { externalIssuer: url === 'none' ? null : url } },
    );
    const text = server.externalIssuer
      ? `authorization server ${server.id}: issuer ${server.externalIssuer} (JWKS still served by Signet)`
      : `authorization server ${server.id}: Signet's own issuer URL`;
    return { data: server, text };
  },
};

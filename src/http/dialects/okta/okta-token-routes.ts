import type { FastifyInstance } from 'fastify';
import { issueClientToken } from '../../public/issue-client-token.ts';
import { parseClientCredentials } from '../../public/parse-client-credentials.ts';
import { readTokenParams } from '../../public/read-token-params.ts';
import type { DialectDeps } from '../shared/dialect-deps.ts';
import { managementAudience } from '../shared/management-audience.ts';

/**
 * Okta's org authorization server token endpoint, `POST /oauth2/v1/token`: client_credentials
 * tokens for the Okta management API (`okta.*` scopes), issued by the tenant's default server with
 * the org URL (the tenant base) as both issuer and audience, as Okta's org server does.
 */
export async function oktaTokenRoutes(app: FastifyInstance, { services }: DialectDeps): Promise<void> {
  app.post('/oauth2/v1/token', { config: { surface: 'oauth' } }, async (request, reply) => {
    const params = readTokenParams(request.body);
    const base = request.resolved!.baseUrl;
    const response = await issueClientToken(services, {
      tenantId: request.resolved!.tenant.id,
      authorizationServerId: 'default',
      issuer: base,
      params,
      credentials: () => parseClientCredentials(request.headers.authorization, params),
      defaultAudiences: [managementAudience('okta', base)],
      extraAudiences: [managementAudience('okta', base)],
    });
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  });
}

import type { FastifyInstance } from 'fastify';
import { issueClientToken } from '../../public/issue-client-token.ts';
import { parseClientCredentials } from '../../public/parse-client-credentials.ts';
import { readTokenParams } from '../../public/read-token-params.ts';
import type { SurfaceRouteOptions } from '../../surface-descriptor.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../../domain/default-authorization-server-id.ts';

/**
 * Okta's org authorization server token endpoint, `POST /oauth2/v1/token`: client_credentials
 * tokens for the Okta management API (`okta.*` scopes), issued by the tenant's default server with
 * the org URL (the tenant base) as both issuer and audience, as Okta's org server does.
 */
export async function oktaTokenRoutes(
  app: FastifyInstance,
  { services, descriptor, rateLimiter, rules }: SurfaceRouteOptions,
): Promise<void> {
  app.post('/oauth2/v1/token', { config: { surface: 'oauth' } }, async (request, reply) => {
    const params = readTokenParams(request.body);
    const audience = descriptor.managementAudience!.audienceFor(request.resolved!.baseUrl);
    const response = await issueClientToken(services, {
      tenantId: request.resolved!.tenant.id,
      authorizationServerId: DEFAULT_AUTHORIZATION_SERVER_ID,
      issuer: request.resolved!.baseUrl,
      params,
      credentials: () => parseClientCredentials(request.headers.authorization, params),
      defaultAudiences: [audience],
      extraAudiences: [audience],
      limiter: rateLimiter,
      address: rules.clientAddress(request.raw),
    });
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  });
}

import type { FastifyInstance } from 'fastify';
import { issueClientToken } from '../../public/issue-client-token.ts';
import { readTokenParams } from '../../public/read-token-params.ts';
import type { SurfaceRouteOptions } from '../../surface-descriptor.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { parseOneLoginCredentials } from './parse-onelogin-credentials.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../../domain/default-authorization-server-id.ts';

/**
 * OneLogin's Generate Token v2, `POST /auth/oauth2/v2/token`: a client_credentials token for the
 * OneLogin management API, answered with OneLogin's flat `OauthToken` fields.
 */
export async function oneLoginTokenRoutes(
  app: FastifyInstance,
  { services, now, descriptor, rateLimiter, rules }: SurfaceRouteOptions,
): Promise<void> {
  app.post('/auth/oauth2/v2/token', { config: { surface: 'onelogin-token' } }, async (request, reply) => {
    const params = readTokenParams(request.body ?? {});
    const base = request.resolved!.baseUrl;
    const audience = descriptor.managementAudience!.audienceFor(base);
    const issued = await issueClientToken(services, {
      tenantId: request.resolved!.tenant.id,
      authorizationServerId: DEFAULT_AUTHORIZATION_SERVER_ID,
      issuer: base,
      // OneLogin clients name no audience: the token is for OneLogin's API.
      params: { ...params, audience },
      credentials: () => parseOneLoginCredentials(request.headers.authorization, params),
      extraAudiences: [audience],
      limiter: rateLimiter,
      address: rules.clientAddress(request.raw),
    });
    return reply
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({
        access_token: issued.access_token,
        created_at: new Date(now()).toISOString(),
        expires_in: issued.expires_in,
        token_type: 'bearer',
      });
  });
  refuseOtherMethods(app, '/auth/oauth2/v2/token', ['POST'], 'onelogin-token');
}

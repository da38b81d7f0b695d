import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SignetError } from '../../../errors.ts';
import { discoveryDocument } from '../../public/discovery-document.ts';
import { issueClientToken } from '../../public/issue-client-token.ts';
import { parseClientCredentials } from '../../public/parse-client-credentials.ts';
import { readTokenParams } from '../../public/read-token-params.ts';
import { sendJwks } from '../../public/send-jwks.ts';
import type { SurfaceRouteOptions } from '../../surface-descriptor.ts';
import { refuseOtherMethods } from '../shared/refuse-other-methods.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../../domain/default-authorization-server-id.ts';

/**
 * The default server under OneLogin's OIDC v2 layout: issuer `{base}/oidc/2`, its discovery
 * document, its JWKS `/oidc/2/certs` and a client_credentials token endpoint `/oidc/2/token`
 * whose tokens carry that issuer, so a relying party configured with the OneLogin issuer verifies
 * them end to end.
 */
export async function oneLoginPublicRoutes(
  app: FastifyInstance,
  { registry, services, now, rateLimiter, rules }: SurfaceRouteOptions,
): Promise<void> {
  const config = { surface: 'onelogin' as const };

  function defaultServer(request: FastifyRequest) {
    const server = registry.getAuthorizationServer(request.resolved!.tenant.id, DEFAULT_AUTHORIZATION_SERVER_ID);
    if (!server) throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', 'the default authorization server is missing');
    return server;
  }
  const urls = (base: string) => ({
    issuer: `${base}/oidc/2`,
    jwksUri: `${base}/oidc/2/certs`,
    tokenEndpoint: `${base}/oidc/2/token`,
  });

  app.get('/oidc/2/.well-known/openid-configuration', { config }, async (request, reply) => {
    const server = defaultServer(request);
    const view = server.signingKeySetId ? registry.getKeySetView(server.signingKeySetId) : undefined;
    reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');
    return discoveryDocument(urls(request.resolved!.baseUrl), view ? [view] : []);
  });

  app.get('/oidc/2/certs', { config }, async (request, reply) =>
    sendJwks({ registry, rules, now }, request, reply, defaultServer(request)),
  );

  app.post('/oidc/2/token', { config: { surface: 'oauth' } }, async (request, reply) => {
    const server = defaultServer(request);
    const params = readTokenParams(request.body);
    const response = await issueClientToken(services, {
      tenantId: server.tenantId,
      authorizationServerId: server.id,
      issuer: urls(request.resolved!.baseUrl).issuer,
      params,
      credentials: () => parseClientCredentials(request.headers.authorization, params),
      limiter: rateLimiter,
      address: rules.clientAddress(request.raw),
    });
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  });

  refuseOtherMethods(app, '/oidc/2/certs', ['GET'], 'onelogin');
  refuseOtherMethods(app, '/oidc/2/.well-known/openid-configuration', ['GET'], 'onelogin');
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SignetError } from '../../errors.ts';
import type { SurfaceRouteOptions } from '../surface-descriptor.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../domain/default-authorization-server-id.ts';
import { answerTokenRequest } from './answer-token-request.ts';
import { discoveryDocument } from './discovery-document.ts';
import { PUBLIC_PATHS } from './public-paths.ts';
import { sendJwks } from './send-jwks.ts';
import { serverUrls } from './server-urls.ts';

/** Public, per-tenant routes: discovery, RFC 8414 metadata, JWKS and the token endpoint. */
export async function publicRoutes(
  app: FastifyInstance,
  { registry, services, now, managementAudiences, rateLimiter, rules }: SurfaceRouteOptions,
): Promise<void> {
  const config = { surface: 'public' as const };

  function serverOf(request: FastifyRequest, serverId = DEFAULT_AUTHORIZATION_SERVER_ID) {
    const tenantId = request.resolved!.tenant.id;
    const server = registry.getAuthorizationServer(tenantId, serverId);
    if (!server)
      throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${serverId} not found`, {
        authorizationServerId: serverId,
      });
    return server;
  }

  function sendDiscovery(request: FastifyRequest<{ Params: { serverId?: string } }>, reply: FastifyReply) {
    const server = serverOf(request, request.params.serverId);
    // One lookup by id: listing every key set would cost a copy of all tenants' views per request.
    const view = server.signingKeySetId ? registry.getKeySetView(server.signingKeySetId) : undefined;
    const views = view ? [view] : [];
    // Public metadata and keys are read by browser-based relying parties too.
    reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');
    const urls = serverUrls(request.resolved!.baseUrl, request.params.serverId);
    // An external issuer points its own discovery's jwks_uri here; this document names it as issuer.
    return discoveryDocument({ ...urls, issuer: server.externalIssuer ?? urls.issuer }, views);
  }

  function jwks(request: FastifyRequest<{ Params: { serverId?: string } }>, reply: FastifyReply) {
    return sendJwks({ registry, rules, now }, request, reply, serverOf(request, request.params.serverId));
  }

  async function token(request: FastifyRequest<{ Params: { serverId?: string }; Body: unknown }>, reply: FastifyReply) {
    const baseUrl = request.resolved!.baseUrl;
    const response = await answerTokenRequest(services, {
      server: serverOf(request, request.params.serverId),
      baseUrl,
      issuer: serverUrls(baseUrl, request.params.serverId).issuer,
      body: request.body,
      authorization: request.headers.authorization,
      managementAudiences,
      limiter: rateLimiter,
      address: rules.clientAddress(request.raw),
    });
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  }

  const paths = PUBLIC_PATHS;
  app.get(paths.discovery, { config }, sendDiscovery);
  app.get(paths.metadata, { config }, sendDiscovery);
  app.get(paths.metadataOfServer, { config }, sendDiscovery);
  app.get(paths.jwks, { config }, jwks);
  app.post(paths.token, { config: { surface: 'oauth' } }, token);
  app.get(paths.serverDiscovery, { config }, sendDiscovery);
  app.get(paths.serverMetadata, { config }, sendDiscovery);
  app.get(paths.serverJwks, { config }, jwks);
  app.post(paths.serverToken, { config: { surface: 'oauth' } }, token);
}

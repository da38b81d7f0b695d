import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SignetError } from '../../errors.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { Services } from '../../services/create-services.ts';
import { answerTokenRequest } from './answer-token-request.ts';
import { discoveryDocument } from './discovery-document.ts';
import { sendJwks } from './send-jwks.ts';
import { serverUrls } from './server-urls.ts';

interface PublicRoutesOptions {
  registry: Registry;
  services: Services;
  now: () => number;
}

/** Public, per-tenant routes: discovery, RFC 8414 metadata, JWKS and the token endpoint. */
export async function publicRoutes(
  app: FastifyInstance,
  { registry, services, now }: PublicRoutesOptions,
): Promise<void> {
  const config = { surface: 'public' as const };

  function serverOf(request: FastifyRequest, serverId = 'default') {
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
    return discoveryDocument(serverUrls(request.resolved!.baseUrl, request.params.serverId), views);
  }

  function jwks(request: FastifyRequest<{ Params: { serverId?: string } }>, reply: FastifyReply) {
    return sendJwks(registry, now(), request, reply, serverOf(request, request.params.serverId));
  }

  async function token(request: FastifyRequest<{ Params: { serverId?: string }; Body: unknown }>, reply: FastifyReply) {
    const baseUrl = request.resolved!.baseUrl;
    const response = await answerTokenRequest(services, {
      server: serverOf(request, request.params.serverId),
      baseUrl,
      issuer: serverUrls(baseUrl, request.params.serverId).issuer,
      body: request.body,
      authorization: request.headers.authorization,
    });
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  }

  app.get('/.well-known/openid-configuration', { config }, sendDiscovery);
  app.get('/.well-known/oauth-authorization-server', { config }, sendDiscovery);
  app.get('/.well-known/oauth-authorization-server/oauth2/:serverId', { config }, sendDiscovery);
  app.get('/.well-known/jwks.json', { config }, jwks);
  app.post('/oauth/token', { config: { surface: 'oauth' } }, token);
  app.get('/oauth2/:serverId/.well-known/openid-configuration', { config }, sendDiscovery);
  app.get('/oauth2/:serverId/.well-known/oauth-authorization-server', { config }, sendDiscovery);
  app.get('/oauth2/:serverId/v1/keys', { config }, jwks);
  app.post('/oauth2/:serverId/v1/token', { config: { surface: 'oauth' } }, token);
}

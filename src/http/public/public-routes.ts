import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SignetError } from '../../errors.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { Services } from '../../services/create-services.ts';
import { discoveryDocument, type ServerUrls } from './discovery-document.ts';
import { jwksReply } from './jwks-reply.ts';
import { parseClientCredentials } from './parse-client-credentials.ts';

interface PublicRoutesOptions {
  registry: Registry;
  services: Services;
  now: () => number;
}

/** The default server answers at the tenant base; every server also at `/oauth2/{id}` (Okta layout). */
function serverUrls(base: string, serverId: string | undefined): ServerUrls {
  if (serverId === undefined) {
    return { issuer: base, jwksUri: `${base}/.well-known/jwks.json`, tokenEndpoint: `${base}/oauth/token` };
  }
  const root = `${base}/oauth2/${serverId}`;
  return { issuer: serverId === 'default' ? base : root, jwksUri: `${root}/v1/keys`, tokenEndpoint: `${root}/v1/token` };
}

/** Public, per-tenant routes: discovery, RFC 8414 metadata, JWKS and the token endpoint. */
export async function publicRoutes(app: FastifyInstance, { registry, services, now }: PublicRoutesOptions): Promise<void> {
  const config = { surface: 'public' as const };

  function serverOf(request: FastifyRequest, serverId = 'default') {
    const tenantId = request.resolved!.tenant.id;
    const server = registry.getAuthorizationServer(tenantId, serverId);
    if (!server) throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${serverId} not found`, { authorizationServerId: serverId });
    return server;
  }

  function sendDiscovery(request: FastifyRequest<{ Params: { serverId?: string } }>, reply: FastifyReply) {
    const server = serverOf(request, request.params.serverId);
    const views = registry.listKeySetViews().filter((v) => v.keySet.id === server.signingKeySetId);
    // Public metadata and keys are read by browser-based relying parties too.
    reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');
    return discoveryDocument(serverUrls(request.resolved!.baseUrl, request.params.serverId), views);
  }

  function sendJwks(request: FastifyRequest<{ Params: { serverId?: string } }>, reply: FastifyReply) {
    const server = serverOf(request, request.params.serverId);
    const jwks = jwksReply(registry.getJwks(server.tenantId, server.id)!, request.headers['if-none-match'], now());
    return reply.code(jwks.status).headers(jwks.headers).send(jwks.body ?? undefined);
  }

  function token(request: FastifyRequest<{ Params: { serverId?: string }; Body: unknown }>, reply: FastifyReply) {
    const server = serverOf(request, request.params.serverId);
    const body = readParams(request.body);
    if (body.grant_type === undefined) throw new SignetError('ERR_VALIDATION', 'grant_type is required');
    if (body.grant_type !== 'client_credentials') throw new SignetError('ERR_UNSUPPORTED_GRANT_TYPE', `grant_type ${body.grant_type} is not supported`);
    const credentials = parseClientCredentials(request.headers.authorization, body);
    const client = services.credentials.authenticateClient(credentials.clientId, credentials.clientSecret);
    if (!client || client.tenantId !== server.tenantId) throw new SignetError('ERR_UNAUTHENTICATED', 'client authentication failed');
    const requested = body.audience ?? body.resource;
    const response = services.tokens.issueClientCredentialsToken({
      tenantId: server.tenantId,
      authorizationServerId: server.id,
      issuer: serverUrls(request.resolved!.baseUrl, request.params.serverId).issuer,
      client,
      scope: body.scope,
      audiences: requested ? [requested] : [],
    });
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  }

  app.get('/.well-known/openid-configuration', { config }, sendDiscovery);
  app.get('/.well-known/oauth-authorization-server', { config }, sendDiscovery);
  app.get('/.well-known/oauth-authorization-server/oauth2/:serverId', { config }, sendDiscovery);
  app.get('/.well-known/jwks.json', { config }, sendJwks);
  app.post('/oauth/token', { config: { surface: 'oauth' } }, token);
  app.get('/oauth2/:serverId/.well-known/openid-configuration', { config }, sendDiscovery);
  app.get('/oauth2/:serverId/.well-known/oauth-authorization-server', { config }, sendDiscovery);
  app.get('/oauth2/:serverId/v1/keys', { config }, sendJwks);
  app.post('/oauth2/:serverId/v1/token', { config: { surface: 'oauth' } }, token);
}

/** Token request parameters as single strings; a repeated parameter is refused (RFC 6749 §3.2). */
function readParams(body: unknown): Record<string, string> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SignetError('ERR_VALIDATION', 'the token request needs an application/x-www-form-urlencoded body');
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new SignetError('ERR_VALIDATION', `parameter ${name} must be given once, as a string`);
    params[name] = value;
  }
  return params;
}

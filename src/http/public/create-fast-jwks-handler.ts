import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../domain/default-authorization-server-id.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { RequestRules } from '../request-rules.ts';
import { resolveTenant } from '../resolve-tenant.ts';
import type { FastHandler } from './fast-handler.ts';
import { jwksReply } from './jwks-reply.ts';
import { PUBLIC_PATHS } from './public-paths.ts';
import { matchOneParam, routeLabels, splitTenantPath } from './split-tenant-path.ts';

export interface FastJwksDeps {
  registry: Registry;
  rules: RequestRules;
  now: () => number;
  baseUrl: string;
  rootTenantId: string;
  isReady: () => boolean;
}

/**
 * The JWKS routes of public-routes.ts answered straight from node:http, before Fastify: the JWKS
 * is fetched by every relying party, and Fastify's per-request machinery (request and reply
 * objects, child logger, hook chains) costs more than the rest of the request together. Only the
 * plain success case is taken (GET, a tenant and server that exist, no percent-encoding, the server
 * ready); everything else, errors included, goes to Fastify, which renders them as usual. The
 * response is the same one Fastify sends: jwksReply, and the per-request rules (request-rules.ts),
 * readiness recording included.
 */
export function createFastJwksHandler(deps: FastJwksDeps): FastHandler {
  const tenantOptions = { baseUrl: deps.baseUrl, rootTenantId: deps.rootTenantId };
  const { rules } = deps;
  const serverJwks = matchOneParam(PUBLIC_PATHS.serverJwks);
  const defaultLabels = routeLabels(PUBLIC_PATHS.jwks);
  const serverLabels = routeLabels(PUBLIC_PATHS.serverJwks);
  return (request, response) => {
    if (request.method !== 'GET' || !deps.isReady()) return false;
    const started = performance.now();
    const split = splitTenantPath(request.url ?? '');
    if (!split) return false;
    const { tenantId, rest } = split;
    let serverId: string | undefined;
    if (rest !== PUBLIC_PATHS.jwks) {
      serverId = serverJwks(rest) ?? undefined;
      if (serverId === undefined) return false;
    }
    let document;
    try {
      const tenant = resolveTenant(deps.registry, tenantOptions, tenantId, request.headers.host).tenant;
      const server = deps.registry.getAuthorizationServer(tenant.id, serverId ?? DEFAULT_AUTHORIZATION_SERVER_ID);
      document = server && deps.registry.getJwks(server.tenantId, server.id);
    } catch {
      return false;
    }
    if (!document) return false;
    const reply = jwksReply(document, request.headers['if-none-match'], deps.now());
    const headers = rules.addResponseHeaders(reply.headers, rules.requestId(request));
    if (reply.body) headers['content-length'] = reply.body.length;
    response.writeHead(reply.status, headers);
    response.end(reply.body ?? undefined);
    rules.jwksServed(request, document);
    const labels = serverId === undefined ? defaultLabels : serverLabels;
    rules.observe(
      'GET',
      tenantId === undefined ? labels.root : labels.tenant,
      reply.status,
      (performance.now() - started) / 1000,
    );
    return true;
  };
}

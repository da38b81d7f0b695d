import type { Metrics } from '../../metrics/create-metrics.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import { resolveTenant } from '../resolve-tenant.ts';
import { requestIdOf, type FastHandler } from './fast-handler.ts';
import { jwksReply } from './jwks-reply.ts';
import { serverIdOf, splitTenantPath } from './split-tenant-path.ts';

export interface FastJwksDeps {
  registry: Registry;
  metrics: Metrics;
  now: () => number;
  baseUrl: string;
  rootTenantId: string;
  isReady: () => boolean;
}

const JWKS = '/.well-known/jwks.json';

/**
 * The JWKS routes of public-routes.ts answered straight from node:http, before Fastify: the JWKS
 * is fetched by every relying party, and Fastify's per-request machinery (request and reply
 * objects, child logger, hook chains) costs more than the rest of the request together. Only the
 * plain success case is taken (GET, a tenant and server that exist, no percent-encoding, the server
 * ready); everything else, errors included, goes to Fastify, which renders them as usual. The
 * response is the same one Fastify sends: jwksReply, the x-request-id header and the request metric.
 */
export function createFastJwksHandler(deps: FastJwksDeps): FastHandler {
  const tenantOptions = { baseUrl: deps.baseUrl, rootTenantId: deps.rootTenantId };
  return (request, response) => {
    if (request.method !== 'GET' || !deps.isReady()) return false;
    const started = performance.now();
    const split = splitTenantPath(request.url ?? '');
    if (!split) return false;
    const { tenantId, rest } = split;
    let serverId: string | undefined;
    if (rest !== JWKS) {
      serverId = serverIdOf(rest, '/v1/keys') ?? undefined;
      if (serverId === undefined) return false;
    }
    let document;
    try {
      const tenant = resolveTenant(deps.registry, tenantOptions, tenantId, request.headers.host).tenant;
      const server = deps.registry.getAuthorizationServer(tenant.id, serverId ?? 'default');
      document = server && deps.registry.getJwks(server.tenantId, server.id);
    } catch {
      return false;
    }
    if (!document) return false;
    const reply = jwksReply(document, request.headers['if-none-match'], deps.now());
    response.writeHead(reply.status, {
      'x-request-id': requestIdOf(request),
      ...reply.headers,
      ...(reply.body ? { 'content-length': String(reply.body.length) } : {}),
    });
    response.end(reply.body ?? undefined);
    // The same route labels Fastify would record.
    const route = `${tenantId === undefined ? '' : '/t/:addressedTenant'}${serverId === undefined ? JWKS : '/oauth2/:serverId/v1/keys'}`;
    deps.metrics.observeRequest('GET', route, reply.status, (performance.now() - started) / 1000);
    return true;
  };
}

import type { Registry } from '../../runtime/create-registry.ts';
import type { RequestRules } from '../request-rules.ts';
import type { FastHandler } from './fast-handler.ts';
import { jwksReply } from './jwks-reply.ts';
import { createFastRouteMatcher } from './match-fast-route.ts';
import { PUBLIC_PATHS } from './public-paths.ts';

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
  const { rules } = deps;
  const match = createFastRouteMatcher(deps, PUBLIC_PATHS.jwks, PUBLIC_PATHS.serverJwks);
  return (request, response) => {
    if (request.method !== 'GET' || !deps.isReady()) return false;
    const started = performance.now();
    const route = match(request.url ?? '', request.headers.host);
    const document = route && deps.registry.getJwks(route.server.tenantId, route.server.id);
    if (!document) return false;
    const now = deps.now();
    const reply = jwksReply(document, request.headers['if-none-match'], now);
    const headers = rules.addResponseHeaders(reply.headers, rules.requestId(request));
    if (reply.body) headers['content-length'] = reply.body.length;
    response.writeHead(reply.status, headers);
    response.end(reply.body ?? undefined);
    rules.jwksServed(request, document, now);
    rules.observe('GET', route.label, reply.status, (performance.now() - started) / 1000);
    return true;
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizationServer } from '../../domain/types.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { RequestRules } from '../request-rules.ts';
import { jwksReply } from './jwks-reply.ts';

/**
 * Sends an authorization server's JWKS through Fastify (jwksReply, as the fast path does) and
 * notes the fetch for verifier readiness (the rule the fast path calls too); shared by every JWKS route.
 */
export function sendJwks(
  deps: { registry: Registry; rules: RequestRules; now: () => number },
  request: FastifyRequest,
  reply: FastifyReply,
  server: AuthorizationServer,
): FastifyReply {
  const document = deps.registry.getJwks(server.tenantId, server.id)!;
  const now = deps.now();
  const jwks = jwksReply(document, request.headers['if-none-match'], now);
  deps.rules.jwksServed(request.raw, document, now);
  return reply
    .code(jwks.status)
    .headers(jwks.headers)
    .send(jwks.body ?? undefined);
}

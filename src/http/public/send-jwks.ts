import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizationServer } from '../../domain/types.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import { jwksReply } from './jwks-reply.ts';

/** Sends an authorization server's JWKS through Fastify (jwksReply, as the fast path does); shared by every JWKS route. */
export function sendJwks(
  registry: Registry,
  now: number,
  request: FastifyRequest,
  reply: FastifyReply,
  server: AuthorizationServer,
): FastifyReply {
  const jwks = jwksReply(registry.getJwks(server.tenantId, server.id)!, request.headers['if-none-match'], now);
  return reply
    .code(jwks.status)
    .headers(jwks.headers)
    .send(jwks.body ?? undefined);
}

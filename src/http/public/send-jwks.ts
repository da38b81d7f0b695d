import type { FastifyReply, FastifyRequest } from 'fastify';
import { jwksMaxAgeSeconds } from '../../domain/jwks-max-age.ts';
import type { AuthorizationServer } from '../../domain/types.ts';
import type { Registry } from '../../runtime/create-registry.ts';

/**
 * Sends an authorization server's pre-serialised JWKS with its schedule-bound max-age and ETag,
 * answering a matching `If-None-Match` with 304 (SPEC §3); shared by every JWKS path.
 */
export function sendJwks(registry: Registry, now: number, request: FastifyRequest, reply: FastifyReply, server: AuthorizationServer): FastifyReply {
  const document = registry.getJwks(server.tenantId, server.id)!;
  const maxAge = jwksMaxAgeSeconds(document, document.nextChangeAt, now);
  reply.header('cache-control', `public, max-age=${maxAge}, must-revalidate`).header('etag', document.etag).header('access-control-allow-origin', '*');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === document.etag || tag.trim() === '*')) {
    return reply.code(304).send();
  }
  return reply.type('application/json; charset=utf-8').send(document.body);
}

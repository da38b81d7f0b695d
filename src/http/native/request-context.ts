import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../domain/types.ts';

/** The use-case context of an authenticated native request (the CLI and the dashboard come through here too). */
export function requestContext(request: FastifyRequest): RequestContext {
  return { actor: request.principal!.actor, requestId: request.id, sourceIp: request.ip, surface: 'native' };
}

/** The tenant id a request addresses. */
export function tenantIdOf(request: FastifyRequest): string {
  return request.resolved!.tenant.id;
}

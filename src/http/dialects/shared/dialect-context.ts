import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../domain/types.ts';
import { requestContext } from '../../native/request-context.ts';

/** The use-case context of an authenticated dialect request: actor, source address, and the dialect for the audit log. */
export function dialectContext(request: FastifyRequest): RequestContext {
  const surface = request.routeOptions.config.surface;
  return { ...requestContext(request), ...(surface !== undefined ? { surface } : {}) };
}

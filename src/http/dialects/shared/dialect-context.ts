import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../domain/types.ts';
import { SignetError } from '../../../errors.ts';
import { requestContext } from '../../native/request-context.ts';

/** The use-case context of an authenticated dialect request: actor, source address, and the dialect for the audit log. */
export function dialectContext(request: FastifyRequest): RequestContext {
  const surface = request.routeOptions.config.surface;
  // Every dialect route names its dialect; a route that does not is a wiring bug, never audited as native.
  if (surface !== 'okta' && surface !== 'auth0' && surface !== 'onelogin')
    throw new SignetError('ERR_INTERNAL', `a dialect route is configured with surface ${String(surface)}`);
  return { ...requestContext(request), surface };
}

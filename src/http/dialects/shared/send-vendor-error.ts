import type { FastifyReply } from 'fastify';
import type { SignetError } from '../../../errors.ts';

/**
 * Sends a vendor dialect's error body: `Allow` on a 405, and always JSON with `no-store`, since
 * vendor clients parse errors as JSON whatever the route would have sent.
 */
export function sendVendorError(reply: FastifyReply, error: SignetError, status: number, body: unknown): FastifyReply {
  if (error.code === 'ERR_METHOD_NOT_ALLOWED' && Array.isArray(error.details?.allow))
    reply.header('allow', error.details.allow.join(', '));
  return reply.code(status).type('application/json; charset=utf-8').header('cache-control', 'no-store').send(body);
}

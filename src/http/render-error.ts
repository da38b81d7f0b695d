import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignetError } from '../errors.ts';
import { ERROR_TABLE } from './error-table.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import type { ErrorEnvelope } from './surface-descriptor.ts';

/**
 * Sends `error` in the envelope of the surface the request came through (each surface's
 * descriptor declares its envelopes): the status comes from the error table, unless the envelope
 * documents another one for this code. A 429 carries `Retry-After` and the headers the envelope names.
 */
export function renderError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: SignetError,
  envelope: ErrorEnvelope,
): FastifyReply {
  const status = errorStatus(error, envelope);
  reply.headers(rateLimitHeaders(error, envelope.rateLimitHeaders));
  return envelope.send(request, reply, error, status);
}

/** The status `envelope` answers `error` with: the error table's, unless the envelope documents another. */
export function errorStatus(error: SignetError, envelope: ErrorEnvelope): number {
  return envelope.statusOverrides?.[error.code] ?? ERROR_TABLE[error.code].status;
}

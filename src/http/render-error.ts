import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignetError } from '../errors.ts';
import { ERROR_TABLE } from './error-table.ts';
import type { Surface } from './fastify-types.ts';

/**
 * Sends `error` in the envelope of the surface the request came through: RFC 6749 §5.2 for the
 * token endpoint, Signet's `{error: {code, message}}` everywhere else.
 */
export function renderError(request: FastifyRequest, reply: FastifyReply, error: SignetError, surface: Surface): FastifyReply {
  const mapping = ERROR_TABLE[error.code];
  if (surface === 'oauth') {
    const oauth = oauthErrorReply(error);
    return reply.code(oauth.status).headers(oauth.headers).send(oauth.body);
  }
  if (mapping.status === 401) reply.header('www-authenticate', 'Bearer realm="signet"');
  return reply.code(mapping.status).send({
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}), requestId: request.id },
  });
}

/** An error of the token endpoint as RFC 6749 §5.2 has it: status, headers and body. */
export function oauthErrorReply(error: SignetError): { status: number; headers: Record<string, string>; body: { error: string; error_description: string } } {
  const mapping = ERROR_TABLE[error.code];
  const status = mapping.oauthError === 'invalid_client' ? 401 : mapping.status === 401 || mapping.status === 403 ? 400 : mapping.status;
  const headers: Record<string, string> = status === 401
    ? { 'www-authenticate': 'Basic realm="signet", charset="UTF-8"', 'cache-control': 'no-store' }
    : { 'cache-control': 'no-store' };
  return { status, headers, body: { error: mapping.oauthError, error_description: error.message } };
}

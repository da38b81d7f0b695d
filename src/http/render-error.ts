import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignetError } from '../errors.ts';
import { auth0ErrorBody } from './auth0-error-envelope.ts';
import { ERROR_TABLE } from './error-table.ts';
import type { Surface } from './fastify-types.ts';
import { oktaErrorBody } from './okta-error-envelope.ts';
import { oneLoginErrorBody, oneLoginTokenErrorBody } from './onelogin-error-envelope.ts';

/**
 * Sends `error` in the envelope of the surface the request came through: RFC 6749 §5.2 for the
 * token endpoint, each vendor's own body for its dialect, Signet's `{error: {code, message}}`
 * everywhere else. The status always comes from the error table (with its per-dialect column).
 */
export function renderError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: SignetError,
  surface: Surface,
): FastifyReply {
  const mapping = ERROR_TABLE[error.code];
  if (surface === 'oauth') {
    const oauth = oauthErrorReply(error);
    return reply.code(oauth.status).headers(oauth.headers).send(oauth.body);
  }
  if (surface === 'okta' || surface === 'auth0' || surface === 'onelogin' || surface === 'onelogin-token') {
    const status = (surface === 'onelogin-token' ? undefined : mapping.dialectStatus?.[surface]) ?? mapping.status;
    if (error.code === 'ERR_METHOD_NOT_ALLOWED' && Array.isArray(error.details?.allow))
      reply.header('allow', error.details.allow.join(', '));
    const body =
      surface === 'okta'
        ? oktaErrorBody(error, status, request.id)
        : surface === 'auth0'
          ? auth0ErrorBody(error, status)
          : surface === 'onelogin'
            ? oneLoginErrorBody(error, status)
            : oneLoginTokenErrorBody(error, status);
    // Vendor clients parse errors as JSON whatever the route would have sent.
    return reply.code(status).type('application/json; charset=utf-8').header('cache-control', 'no-store').send(body);
  }
  if (mapping.status === 401) reply.header('www-authenticate', 'Bearer realm="signet"');
  return reply.code(mapping.status).send({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      requestId: request.id,
    },
  });
}

/** An error of the token endpoint as RFC 6749 §5.2 has it: status, headers and body. */
export function oauthErrorReply(error: SignetError): {
  status: number;
  headers: Record<string, string>;
  body: { error: string; error_description: string };
} {
  const mapping = ERROR_TABLE[error.code];
  const status =
    mapping.oauthError === 'invalid_client'
      ? 401
      : mapping.status === 401 || mapping.status === 403
        ? 400
        : mapping.status;
  const headers: Record<string, string> =
    status === 401
      ? { 'www-authenticate': 'Basic realm="signet", charset="UTF-8"', 'cache-control': 'no-store' }
      : { 'cache-control': 'no-store' };
  return { status, headers, body: { error: mapping.oauthError, error_description: error.message } };
}

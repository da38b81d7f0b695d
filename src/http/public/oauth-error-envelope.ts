import type { SignetError } from '../../errors.ts';
import { ERROR_TABLE } from '../error-table.ts';
import { rateLimitHeaders, X_RATE_LIMIT_HEADERS } from '../rate-limit-headers.ts';
import type { ErrorEnvelope } from '../surface-descriptor.ts';

/** An error of the token endpoint as RFC 6749 §5.2 has it: status, headers and body (Fastify and the fast path alike). */
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
      : { 'cache-control': 'no-store', ...rateLimitHeaders(error, X_RATE_LIMIT_HEADERS) };
  return { status, headers, body: { error: mapping.oauthError, error_description: error.message } };
}

/** The RFC 6749 §5.2 envelope of every token endpoint; its status rule is its own (oauthErrorReply). */
export const oauthErrorEnvelope: ErrorEnvelope = {
  rateLimitHeaders: X_RATE_LIMIT_HEADERS,
  send(_request, reply, error) {
    const oauth = oauthErrorReply(error);
    return reply.code(oauth.status).headers(oauth.headers).send(oauth.body);
  },
};

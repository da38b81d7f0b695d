import type { ErrorDetails, SignetError } from '../../errors.ts';
import { X_RATE_LIMIT_HEADERS } from '../rate-limit-headers.ts';
import type { ErrorEnvelope } from '../surface-descriptor.ts';

/**
 * Signet's own error envelope for `error` answered with `status`: the body
 * `{error: {code, message, details?, requestId}}` and a Bearer challenge on 401. Fastify (through
 * nativeErrorEnvelope) and the fast sign path both build their refusals with it.
 */
export function nativeErrorReply(
  error: SignetError,
  status: number,
  requestId: string,
): {
  headers: Record<string, string>;
  body: { error: { code: string; message: string; details?: ErrorDetails; requestId: string } };
} {
  return {
    headers: status === 401 ? { 'www-authenticate': 'Bearer realm="signet"' } : {},
    body: {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
        requestId,
      },
    },
  };
}

/** Signet's own error envelope (nativeErrorReply). */
export const nativeErrorEnvelope: ErrorEnvelope = {
  rateLimitHeaders: X_RATE_LIMIT_HEADERS,
  send(request, reply, error, status) {
    const refusal = nativeErrorReply(error, status, request.id);
    return reply.code(status).headers(refusal.headers).send(refusal.body);
  },
};

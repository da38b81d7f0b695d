import { X_RATE_LIMIT_HEADERS } from '../rate-limit-headers.ts';
import type { ErrorEnvelope } from '../surface-descriptor.ts';

/** Signet's own error envelope, `{error: {code, message, details?, requestId}}`, with a Bearer challenge on 401. */
export const nativeErrorEnvelope: ErrorEnvelope = {
  rateLimitHeaders: X_RATE_LIMIT_HEADERS,
  send(request, reply, error, status) {
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="signet"');
    return reply.code(status).send({
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
        requestId: request.id,
      },
    });
  },
};

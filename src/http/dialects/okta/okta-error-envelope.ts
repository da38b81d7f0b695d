import { OKTA_RATE_LIMIT_HEADERS } from '../../rate-limit-headers.ts';
import type { ErrorEnvelope } from '../../surface-descriptor.ts';
import { sendVendorError } from '../shared/send-vendor-error.ts';
import type { SignetError } from '../../../errors.ts';

/** Okta's error object (docs/vendor-contracts.md §2.1, Okta: `Error`). */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: Array<{ errorSummary: string }>;
}

/** Okta's documented error codes by HTTP status (docs/vendor-contracts.md §2.1). */
const OKTA_CODES: Readonly<Record<number, { errorCode: string; errorSummary: (message: string) => string }>> = {
  400: { errorCode: 'E0000001', errorSummary: () => 'Api validation failed: request' },
  401: { errorCode: 'E0000011', errorSummary: () => 'Invalid token provided' },
  403: { errorCode: 'E0000006', errorSummary: () => 'You do not have permission to perform the requested action' },
  404: { errorCode: 'E0000007', errorSummary: (message) => `Not found: ${message}` },
  405: { errorCode: 'E0000022', errorSummary: () => 'The endpoint does not support the provided HTTP method' },
  429: { errorCode: 'E0000047', errorSummary: () => 'API call exceeded rate limit due to too many requests.' },
};

/**
 * Okta's envelope. A dialect route sets an exact summary and causes through
 * `details.errorSummary` and `details.errorCauses` (e.g. "Api validation failed: rotateKeys"); by
 * default the summary comes from the status and the Signet message is the one cause.
 */
export function oktaErrorBody(error: SignetError, status: number, requestId: string): OktaErrorBody {
  const known =
    OKTA_CODES[status] ??
    (status >= 500 ? { errorCode: 'E0000009', errorSummary: () => 'Internal Server Error' } : OKTA_CODES[400]!);
  // The body could not be read at all: Okta's "request body was not well-formed".
  const malformed = error.code === 'ERR_VALIDATION' && /not valid JSON|is empty/.test(error.message);
  const errorCode = malformed ? 'E0000003' : known.errorCode;
  const summary =
    typeof error.details?.errorSummary === 'string'
      ? error.details.errorSummary
      : malformed
        ? 'The request body was not well-formed.'
        : known.errorSummary(error.message);
  const given = error.details?.errorCauses;
  const causes = Array.isArray(given)
    ? given.filter((cause): cause is string => typeof cause === 'string')
    : status === 400 || status === 413 || status === 415
      ? [error.message]
      : [];
  return {
    errorCode,
    errorSummary: summary,
    errorLink: errorCode,
    errorId: `oae${requestId.replace(/-/g, '').slice(0, 22)}`,
    errorCauses: causes.map((cause) => ({ errorSummary: cause })),
  };
}

/** Okta's envelope and the statuses Okta documents differently from the error table. */
export const oktaErrorEnvelope: ErrorEnvelope = {
  rateLimitHeaders: OKTA_RATE_LIMIT_HEADERS,
  statusOverrides: {
    // No documented error for deleting a key-store certificate in use: the validation error (400) is the nearest.
    ERR_KEY_IN_USE: 400,
    // E0000001 (400) for a key already present.
    ERR_ALREADY_EXISTS: 400,
    ERR_KEY_ACTIVE: 400,
    ERR_INVALID_TRANSITION: 400,
  },
  send: (request, reply, error, status) =>
    sendVendorError(reply, error, status, oktaErrorBody(error, status, request.id)),
};

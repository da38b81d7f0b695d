import { X_RATE_LIMIT_HEADERS } from '../../rate-limit-headers.ts';
import type { ErrorEnvelope } from '../../surface-descriptor.ts';
import { sendVendorError } from '../shared/send-vendor-error.ts';
import { STATUS_CODES } from 'node:http';
import type { ErrorCode, SignetError } from '../../../errors.ts';

/** Auth0's Management API error body (docs/vendor-contracts.md §3). */
export interface Auth0ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errorCode: string;
}

/** Auth0's own wording where its documentation gives it (docs/vendor-contracts.md §3). */
const AUTH0_MESSAGES: Partial<Record<ErrorCode, string>> = {
  ERR_UNAUTHENTICATED: 'Invalid token.',
  ERR_KEY_NOT_FOUND: 'Signing key not found.',
};

/** Auth0's `errorCode` values by Signet code, then by status. */
const AUTH0_CODES: Partial<Record<ErrorCode, string>> = {
  ERR_UNAUTHENTICATED: 'invalid_token',
  ERR_FORBIDDEN: 'insufficient_scope',
  ERR_KEY_NOT_FOUND: 'inexistent_signing_key',
};
const CODES_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_body',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'service_unavailable',
};
const CODES_BY_LOCATION: Readonly<Record<string, string>> = {
  querystring: 'invalid_query_string',
  params: 'invalid_uri',
};

/** Auth0's envelope: `{statusCode, error (reason phrase), message, errorCode}`. */
export function auth0ErrorBody(error: SignetError, status: number): Auth0ErrorBody {
  const location = typeof error.details?.location === 'string' ? error.details.location : '';
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message: AUTH0_MESSAGES[error.code] ?? error.message,
    errorCode:
      AUTH0_CODES[error.code] ??
      CODES_BY_LOCATION[location] ??
      CODES_BY_STATUS[status] ??
      (status >= 500 ? 'internal_error' : 'bad_request'),
  };
}

/** Auth0's envelope; Auth0 refuses revoking or rotating past a key with 400, not 409. */
export const auth0ErrorEnvelope: ErrorEnvelope = {
  rateLimitHeaders: X_RATE_LIMIT_HEADERS,
  statusOverrides: { ERR_KEY_ACTIVE: 400, ERR_INVALID_TRANSITION: 400 },
  send: (_request, reply, error, status) => sendVendorError(reply, error, status, auth0ErrorBody(error, status)),
};

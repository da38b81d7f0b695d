import { X_RATE_LIMIT_HEADERS } from '../../rate-limit-headers.ts';
import type { ErrorEnvelope } from '../../surface-descriptor.ts';
import { sendVendorError } from '../shared/send-vendor-error.ts';
import { STATUS_CODES } from 'node:http';
import type { ErrorCode, SignetError } from '../../../errors.ts';

/** OneLogin's error body for its newer APIs (docs/vendor-contracts.md §1.2); the 401 is documented verbatim. */
export interface OneLoginErrorBody {
  message: string;
  statusCode: number;
  name: string;
}

/** OneLogin's token endpoint error model (docs/vendor-contracts.md §1.1). */
export interface OneLoginTokenErrorBody {
  error: true;
  code: number;
  type: string;
  message: string;
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  ERR_UNAUTHENTICATED: 'Unauthorized',
  ERR_KEY_NOT_FOUND: 'Signing key not found',
};

/** `{message, statusCode, name}`, e.g. `{"message":"Unauthorized","statusCode":401,"name":"UnauthorizedError"}`. */
export function oneLoginErrorBody(error: SignetError, status: number): OneLoginErrorBody {
  const phrase = STATUS_CODES[status] ?? 'Error';
  return {
    message: status === 401 ? 'Unauthorized' : (MESSAGES[error.code] ?? error.message),
    statusCode: status,
    name: `${phrase.replace(/[^A-Za-z]/g, '')}Error`.replace(/^InternalServerErrorError$/, 'InternalServerError'),
  };
}

/** `{error: true, code, type, message}` for `/auth/oauth2/v2/token`. */
export function oneLoginTokenErrorBody(error: SignetError, status: number): OneLoginTokenErrorBody {
  return {
    error: true,
    code: status,
    type: (STATUS_CODES[status] ?? 'Error').toLowerCase(),
    message: status === 401 ? 'Authentication Failure' : error.message,
  };
}

/** OneLogin's envelope of its v2 APIs; OneLogin refuses revoking or rotating past a key with 400, not 409. */
export const oneLoginErrorEnvelope: ErrorEnvelope = {
  rateLimitHeaders: X_RATE_LIMIT_HEADERS,
  statusOverrides: { ERR_KEY_ACTIVE: 400, ERR_INVALID_TRANSITION: 400 },
  send: (_request, reply, error, status) => sendVendorError(reply, error, status, oneLoginErrorBody(error, status)),
};

/** OneLogin's token endpoint envelope; the error table's statuses as they are. */
export const oneLoginTokenErrorEnvelope: ErrorEnvelope = {
  rateLimitHeaders: X_RATE_LIMIT_HEADERS,
  send: (_request, reply, error, status) =>
    sendVendorError(reply, error, status, oneLoginTokenErrorBody(error, status)),
};

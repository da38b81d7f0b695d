import { STATUS_CODES } from 'node:http';
import type { ErrorCode, SignetError } from '../errors.ts';

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

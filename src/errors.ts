/**
 * Domain errors with stable string codes. They know nothing of HTTP or exit codes:
 * `src/http/error-table.ts` maps each code to a status and a CLI exit code.
 */
export type ErrorCode =
  | 'ERR_VALIDATION'
  | 'ERR_TOKEN_LIFETIME_TOO_LONG'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_TENANT_NOT_FOUND'
  | 'ERR_AUTH_SERVER_NOT_FOUND'
  | 'ERR_KEY_SET_NOT_FOUND'
  | 'ERR_KEY_NOT_FOUND'
  | 'ERR_CLIENT_NOT_FOUND'
  | 'ERR_API_TOKEN_NOT_FOUND'
  | 'ERR_IDENTITY_PROVIDER_NOT_FOUND'
  | 'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND'
  | 'ERR_CSR_NOT_FOUND'
  | 'ERR_WEBHOOK_NOT_FOUND'
  | 'ERR_WEBHOOK_DELIVERY_NOT_FOUND'
  | 'ERR_WEBHOOK_URL_REFUSED'
  | 'ERR_KEY_IN_USE'
  | 'ERR_ALREADY_EXISTS'
  | 'ERR_KEY_ACTIVE'
  | 'ERR_INVALID_TRANSITION'
  | 'ERR_ROTATION_UNSAFE'
  | 'ERR_READINESS_GATE_CLOSED'
  | 'ERR_POLICY_CONFLICT'
  | 'ERR_UNSUPPORTED_ALGORITHM'
  | 'ERR_INVALID_KEY'
  | 'ERR_KEY_SET_NOT_INITIALISED'
  | 'ERR_CERTIFICATE_EXPIRED'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_UNSUPPORTED_GRANT_TYPE'
  | 'ERR_INVALID_SCOPE'
  | 'ERR_INVALID_TARGET'
  | 'ERR_BACKUP_INVALID'
  | 'ERR_BACKUP_SCHEMA_NEWER'
  | 'ERR_RESTORE_TARGET_NOT_EMPTY'
  | 'ERR_MASTER_KEY_MISMATCH'
  | 'ERR_RATE_LIMITED'
  | 'ERR_UNAVAILABLE'
  | 'ERR_CUSTODY_UNAVAILABLE'
  | 'ERR_INTERNAL';

/** Extra, public, machine-readable facts about an error (never key material). */
export type ErrorDetails = Record<
  string,
  string | number | boolean | null | string[] | Record<string, string | number | boolean | null>[]
>;

/** The one error class of Signet's domain; `code` is the contract, `message` is for people. */
export class SignetError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'SignetError';
    this.code = code;
    this.details = details;
  }
}

/** True when `error` is a SignetError, optionally with the given code. */
export function isSignetError(error: unknown, code?: ErrorCode): error is SignetError {
  return error instanceof SignetError && (code === undefined || error.code === code);
}

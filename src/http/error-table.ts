import type { ErrorCode } from '../errors.ts';

/** How an error class surfaces: HTTP status, CLI exit code, and the RFC 6749 §5.2 error for OAuth. */
export interface ErrorMapping {
  status: number;
  exitCode: number;
  oauthError: string;
}

/** CLI exit codes by error class. */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  internal: 1,
  usage: 2,
  unauthenticated: 3,
  notFound: 4,
  conflict: 5,
  unavailable: 6,
});

/** The one table mapping domain error codes to every surface. */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorMapping>> = Object.freeze({
  ERR_VALIDATION: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_TOKEN_LIFETIME_TOO_LONG: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_BODY_TOO_LARGE: { status: 413, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_UNAUTHENTICATED: { status: 401, exitCode: EXIT_CODES.unauthenticated, oauthError: 'invalid_client' },
  ERR_FORBIDDEN: { status: 403, exitCode: EXIT_CODES.unauthenticated, oauthError: 'unauthorized_client' },
  ERR_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_TENANT_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_AUTH_SERVER_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_KEY_SET_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_KEY_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_CLIENT_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_API_TOKEN_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_IDENTITY_PROVIDER_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_KEY_STORE_CREDENTIAL_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_CSR_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_WEBHOOK_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, exitCode: EXIT_CODES.notFound, oauthError: 'invalid_request' },
  ERR_WEBHOOK_URL_REFUSED: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  // A surface may document another status for a code: its descriptor's envelope holds the override.
  ERR_KEY_IN_USE: { status: 409, exitCode: EXIT_CODES.conflict, oauthError: 'invalid_request' },
  ERR_ALREADY_EXISTS: { status: 409, exitCode: EXIT_CODES.conflict, oauthError: 'invalid_request' },
  ERR_KEY_ACTIVE: { status: 409, exitCode: EXIT_CODES.conflict, oauthError: 'invalid_request' },
  ERR_INVALID_TRANSITION: { status: 409, exitCode: EXIT_CODES.conflict, oauthError: 'invalid_request' },
  ERR_ROTATION_UNSAFE: { status: 409, exitCode: EXIT_CODES.conflict, oauthError: 'invalid_request' },
  ERR_READINESS_GATE_CLOSED: { status: 409, exitCode: EXIT_CODES.conflict, oauthError: 'invalid_request' },
  ERR_POLICY_CONFLICT: { status: 422, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_UNSUPPORTED_ALGORITHM: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_INVALID_KEY: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_KEY_SET_NOT_INITIALISED: { status: 503, exitCode: EXIT_CODES.unavailable, oauthError: 'temporarily_unavailable' },
  ERR_CERTIFICATE_EXPIRED: { status: 503, exitCode: EXIT_CODES.unavailable, oauthError: 'temporarily_unavailable' },
  ERR_METHOD_NOT_ALLOWED: { status: 405, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_UNSUPPORTED_GRANT_TYPE: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'unsupported_grant_type' },
  ERR_INVALID_SCOPE: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_scope' },
  ERR_INVALID_TARGET: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_target' },
  // `signet restore` refusals; no route raises them, the CLI exit code is what an operator's script reads.
  ERR_BACKUP_INVALID: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_BACKUP_SCHEMA_NEWER: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  ERR_RESTORE_TARGET_NOT_EMPTY: { status: 409, exitCode: EXIT_CODES.conflict, oauthError: 'invalid_request' },
  ERR_MASTER_KEY_MISMATCH: { status: 400, exitCode: EXIT_CODES.usage, oauthError: 'invalid_request' },
  // RFC 6749 defines no 429 error; RFC 6749 §5.2 clients treat temporarily_unavailable as "try later".
  ERR_RATE_LIMITED: { status: 429, exitCode: EXIT_CODES.unavailable, oauthError: 'temporarily_unavailable' },
  ERR_UNAVAILABLE: { status: 503, exitCode: EXIT_CODES.unavailable, oauthError: 'temporarily_unavailable' },
  ERR_CUSTODY_UNAVAILABLE: { status: 503, exitCode: EXIT_CODES.unavailable, oauthError: 'temporarily_unavailable' },
  ERR_INTERNAL: { status: 500, exitCode: EXIT_CODES.internal, oauthError: 'server_error' },
});

/** The error code whose HTTP status is `status`, for errors that arrive from a remote API. */
export function exitCodeForStatus(status: number): number {
  if (status === 401 || status === 403) return EXIT_CODES.unauthenticated;
  if (status === 404) return EXIT_CODES.notFound;
  if (status === 409) return EXIT_CODES.conflict;
  if (status >= 500) return status === 503 ? EXIT_CODES.unavailable : EXIT_CODES.internal;
  return EXIT_CODES.usage;
}

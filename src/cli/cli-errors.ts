/** Errors the CLI turns into an exit code; `reportError` prints them. */

/** Bad command-line input; exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An error response of the native API, in its `{error: {code, message, details?}}` envelope. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | null;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> | null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The server could not be reached (refused, DNS, TLS, timeout); exit code 6. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  readonly url: string;
  readonly reason: string;

  constructor(url: string, reason: string) {
    super(`cannot reach Signet at ${url}: ${reason}`);
    this.url = url;
    this.reason = reason;
  }
}

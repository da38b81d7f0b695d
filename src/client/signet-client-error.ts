/** An error of the signing API or the token endpoint, carrying the API's stable code. */
export class SignetClientError extends Error {
  /** The native envelope's `error.code` (ERR_...), the OAuth `error`, or ERR_UNREACHABLE / ERR_BAD_RESPONSE. */
  readonly code: string;
  /** HTTP status, or 0 when no answer arrived. */
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;

  constructor(
    code: string,
    message: string,
    fields: { status: number; details?: Record<string, unknown> | undefined; requestId?: string | undefined },
  ) {
    super(message);
    this.name = 'SignetClientError';
    this.code = code;
    this.status = fields.status;
    this.details = fields.details;
    this.requestId = fields.requestId;
  }
}

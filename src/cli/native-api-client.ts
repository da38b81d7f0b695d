import { ApiError, UnreachableError } from './cli-errors.ts';
import type { Connection } from './resolve-connection.ts';

// Mirrors NATIVE_PREFIX of src/http/native/native-surface.ts (a test asserts they agree); importing it would
// load the whole server into every CLI call.
const NATIVE_PREFIX = '/signet/v1';
const TIMEOUT_MS = 30_000;

export type Query = Record<string, string | readonly string[] | undefined>;

/** A client of one tenant's native management API. */
export interface NativeApiClient {
  /** Sends a request and returns the parsed JSON body (null for 204), or throws ApiError / UnreachableError. */
  request<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options?: { query?: Query; body?: unknown },
  ): Promise<T>;
}

/** Creates the client for `connection`; the token only ever goes into the Authorization header. */
export function createNativeApiClient(connection: Connection, fetchImpl: typeof fetch): NativeApiClient {
  const tenantPath = connection.tenant === null ? '' : `/t/${encodeURIComponent(connection.tenant)}`;
  const base = `${connection.url}${tenantPath}${NATIVE_PREFIX}`;
  return {
    async request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
      const url = new URL(base + path);
      for (const [name, value] of Object.entries(options.query ?? {})) {
        for (const item of value === undefined ? [] : typeof value === 'string' ? [value] : value)
          url.searchParams.append(name, item);
      }
      const headers: Record<string, string> = { accept: 'application/json' };
      if (connection.token !== null) headers.authorization = `Bearer ${connection.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      let status: number;
      let statusText: string;
      let text: string;
      try {
        const response = await fetchImpl(url, {
          method,
          headers,
          signal: AbortSignal.timeout(TIMEOUT_MS),
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        });
        ({ status, statusText } = response);
        text = await response.text();
      } catch (error) {
        throw new UnreachableError(connection.url, reasonOf(error));
      }
      const body = parseJson(text);
      if (status >= 400) throw toApiError(status, statusText, body);
      if (body === undefined)
        throw new ApiError(502, 'ERR_BAD_RESPONSE', `HTTP ${status} from ${url.pathname} is not JSON`, null);
      return body as T;
    },
  };
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(status: number, statusText: string, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (typeof error === 'object' && error !== null && typeof error.code === 'string') {
    const details =
      typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : null;
    return new ApiError(status, error.code, typeof error.message === 'string' ? error.message : error.code, details);
  }
  return new ApiError(status, `HTTP_${status}`, `HTTP ${status}${statusText ? ` ${statusText}` : ''}`, null);
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no response within ${TIMEOUT_MS / 1000} s`;
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.message || cause?.code || (error instanceof Error ? error.message : String(error));
}

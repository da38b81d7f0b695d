/** An error answered by the native API, in its envelope `{error: {code, message, details, requestId}}`. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} details
   * @param {string | null} requestId
   */
  constructor(status, code, message, details, requestId) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }

  /** The fields the error is about (`details.fields`), for showing it next to them. */
  get fields() {
    const fields = this.details.fields;
    return Array.isArray(fields) ? fields.map(String) : [];
  }
}

/**
 * @typedef {object} Api
 * @property {<T>(path: string, query?: Record<string, string | number | undefined | null>) => Promise<T>} get
 * @property {<T>(path: string, body?: unknown) => Promise<T>} post
 * @property {<T>(path: string, body: unknown) => Promise<T>} patch
 * @property {(path: string) => Promise<void>} del
 */

/**
 * A client of the native management API under `baseUrl` (`…/signet/v1`). Every call carries the
 * credential's Bearer token; a 401 calls `onUnauthenticated` (the session is over) before throwing.
 * @param {{ baseUrl: string, token: () => string | null, onUnauthenticated: (error: ApiError) => void }} options
 * @returns {Api}
 */
export function createApi({ baseUrl, token, onUnauthenticated }) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   */
  async function call(method, path, body) {
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'ERR_NETWORK', 'Signet could not be reached. Check that the server is running.', {}, null);
    }
    if (response.status === 204) return undefined;
    const payload = await response.json().catch(() => null);
    if (response.ok) return payload;
    const error = payload?.error ?? {};
    const failure = new ApiError(
      response.status,
      String(error.code ?? `HTTP_${response.status}`),
      String(error.message ?? response.statusText),
      error.details && typeof error.details === 'object' ? error.details : {},
      typeof error.requestId === 'string' ? error.requestId : null,
    );
    if (response.status === 401) onUnauthenticated(failure);
    throw failure;
  }

  return {
    get(path, query) {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query ?? {}))
        if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
      const suffix = search.size > 0 ? `?${search}` : '';
      return call('GET', `${path}${suffix}`);
    },
    post: (path, body = {}) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
    del: async (path) => {
      await call('DELETE', path);
    },
  };
}

import type { SignatureResource, SignRequestBody } from '../http/native/sign-types.ts';
import { SignetClientError } from './signet-client-error.ts';

export { SignetClientError } from './signet-client-error.ts';
export type { SignatureResource, SignRequestBody } from '../http/native/sign-types.ts';

interface CommonOptions {
  /** The tenant's base URL, e.g. `https://signet.example.com` or `https://signet.example.com/t/acme`. */
  url: string;
  /** The authorization server whose keys sign. */
  authorizationServer: string;
  /** How often a 503 (no signing key right now, a restarting instance) is retried; default 4. */
  maxRetries?: number;
  /** Injected for tests; defaults to the global fetch, Date.now and setTimeout. */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A signer with a fixed credential: an API token or a management access token holding `tokens:sign`. */
export interface TokenSignerOptions extends CommonOptions {
  token: string;
}

/** A signer that gets (and renews) its management access token with client_credentials. */
export interface ClientSignerOptions extends CommonOptions {
  clientId: string;
  clientSecret: string;
}

export type SignerOptions = TokenSignerOptions | ClientSignerOptions;

/** The request fields besides the claims (`expiresIn`, `typ`, `alg`). */
export type SignOptions = Omit<SignRequestBody, 'claims'>;

export interface Signer {
  /** Signs a claims set; resolves to the API's answer (`jwt`, `kid`, `alg`, times, `verifiableUntil`). */
  sign(claims: Record<string, unknown>, options?: SignOptions): Promise<SignatureResource>;
}

const MANAGEMENT_AUDIENCE = 'urn:signet:management';
// A token is renewed this long before it expires, so a request never carries one that lapses in flight.
const RENEW_BEFORE_MS = 30_000;
const FIRST_BACKOFF_MS = 200;

/** Creates a client of Signet's signing API (`signet/client`): `createSigner(options).sign(claims)`. */
export function createSigner(options: SignerOptions): Signer {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxRetries = options.maxRetries ?? 4;
  const base = options.url.replace(/\/+$/, '');
  const signUrl = `${base}/signet/v1/authorization-servers/${encodeURIComponent(options.authorizationServer)}/sign`;
  let cached: { token: string; renewAt: number } | undefined;

  async function credential(renew: boolean): Promise<string> {
    if ('token' in options) return options.token;
    if (!renew && cached && now() < cached.renewAt) return cached.token;
    const form = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
    const basic = Buffer.from(`${form(options.clientId)}:${form(options.clientSecret)}`).toString('base64');
    const response = await send(`${base}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        audience: MANAGEMENT_AUDIENCE,
        scope: 'tokens:sign',
      }).toString(),
    });
    const body = (await readJson(response)) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!response.ok || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? body.error : `HTTP_${response.status}`;
      throw new SignetClientError(code, `the token endpoint refused the client credentials (${code})`, {
        status: response.status,
      });
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 300) * 1000;
    cached = { token: body.access_token, renewAt: now() + Math.max(0, lifetimeMs - RENEW_BEFORE_MS) };
    return cached.token;
  }

  async function send(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetchImpl(url, init);
      } catch (error) {
        throw new SignetClientError('ERR_UNREACHABLE', `Signet is unreachable at ${url}: ${String(error)}`, {
          status: 0,
        });
      }
      if (response.status !== 503 || attempt >= maxRetries) return response;
      await response.body?.cancel();
      await sleep(retryDelay(response, attempt));
    }
  }

  return {
    async sign(claims, signOptions = {}) {
      const body = JSON.stringify({ ...signOptions, claims });
      for (let renewed = false; ; renewed = true) {
        const token = await credential(renewed);
        const response = await send(signUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
          body,
        });
        // A management access token may lapse or be cut short: get a fresh one once.
        if (response.status === 401 && !renewed && !('token' in options)) {
          await response.body?.cancel();
          continue;
        }
        const answer = await readJson(response);
        if (response.ok) return answer as SignatureResource;
        throw toError(response.status, answer);
      }
    },
  };
}

/** Exponential backoff with full jitter, or the server's Retry-After when it sends one. */
function retryDelay(response: Response, attempt: number): number {
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  return Math.round(FIRST_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random() / 2));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SignetClientError('ERR_BAD_RESPONSE', `HTTP ${response.status} answer is not JSON`, {
      status: response.status,
    });
  }
}

function toError(status: number, answer: unknown): SignetClientError {
  const error = (answer as { error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown } })
    ?.error;
  if (typeof error === 'object' && error !== null && typeof error.code === 'string') {
    return new SignetClientError(error.code, typeof error.message === 'string' ? error.message : error.code, {
      status,
      details:
        typeof error.details === 'object' && error.details !== null
          ? (error.details as Record<string, unknown>)
          : undefined,
      requestId: typeof error.requestId === 'string' ? error.requestId : undefined,
    });
  }
  return new SignetClientError(`HTTP_${status}`, `HTTP ${status}`, { status });
}

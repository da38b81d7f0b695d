import type { SignetError } from '../errors.ts';

/** The names a surface's clients read the limit, what is left and the reset time (epoch seconds) from. */
export interface RateLimitHeaderNames {
  limit: string;
  remaining: string;
  reset: string;
}

/** Okta's (docs/vendor-contracts.md, rate limits): the Okta SDKs wait until `X-Rate-Limit-Reset` and retry. */
export const OKTA_RATE_LIMIT_HEADERS: RateLimitHeaderNames = {
  limit: 'x-rate-limit-limit',
  remaining: 'x-rate-limit-remaining',
  reset: 'x-rate-limit-reset',
};

/** Auth0's and OneLogin's, which Signet's own surfaces use too. */
export const X_RATE_LIMIT_HEADERS: RateLimitHeaderNames = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
};

/**
 * The headers of a 429 (`Retry-After` in seconds, RFC 9110 §10.2.3, and the surface's own names),
 * from the details of an ERR_RATE_LIMITED; nothing for any other error.
 */
export function rateLimitHeaders(error: SignetError, names: RateLimitHeaderNames): Record<string, string> {
  if (error.code !== 'ERR_RATE_LIMITED' || !error.details) return {};
  const { limit, remaining, resetSeconds, retryAfterSeconds } = error.details;
  return {
    'retry-after': String(retryAfterSeconds),
    [names.limit]: String(limit),
    [names.remaining]: String(remaining),
    [names.reset]: String(resetSeconds),
  };
}

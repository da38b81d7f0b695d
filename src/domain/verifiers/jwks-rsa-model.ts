import { windowFrom } from './key-set-cache-model.ts';
import type { ExposureWindow, RotationScenario, VerifierModel } from './verifier-model.ts';

/** node-jwks-rsa client options that shape its cache (milliseconds, as jwks-rsa takes them). */
export interface JwksRsaModelOptions {
  cacheMaxAge?: number;
  rateLimit?: boolean;
}

/** limiter's RateLimiter counts tokens per fixed one-minute window. */
const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * node-jwks-rsa (auth0) 4.x `JwksClient`, read in `src/JwksClient.js`, `src/wrappers/cache.js`
 * and `src/wrappers/rateLimit.js` (4.1.0 here): `getSigningKey(kid)` is memoised per kid
 * (lru-memoizer, `cacheMaxAge` default 600000 ms); a kid not in the memo fetches the JWKS, and only
 * found keys are memoised, so a new key is found at once. A memoised key stays for `cacheMaxAge`
 * whatever else is fetched. With `rateLimit: true`, fetches draw on `jwksRequestsPerMinute`
 * (default 10) per one-minute window of the `limiter` package; in the worst case other misses
 * (random kids) spent the window just before the action, and the new kid fails until it ends.
 * (limiter's token bucket also starts empty, so a new client's first fetch waits 60 /
 * `jwksRequestsPerMinute` s; that is about start-up, not rotation, and not modelled.)
 */
export function jwksRsaModel(options: JwksRsaModelOptions = {}): VerifierModel {
  const cacheMs = options.cacheMaxAge ?? 600_000;
  const rateLimit = options.rateLimit ?? false;
  return {
    library: 'jwks-rsa',
    model:
      `jwks-rsa 4.x JwksClient: signing keys memoised per kid for ${cacheMs / 1000} s (cacheMaxAge), an unknown kid ` +
      (rateLimit
        ? 'fetched within the rate limit (jwksRequestsPerMinute per minute)'
        : 'fetched at once (rateLimit off)'),
    rejectsValidTokens(scenario: RotationScenario): ExposureWindow | null {
      if (scenario.signerPublishedAt === null || !rateLimit) return null;
      return windowFrom(scenario.at, scenario.at + RATE_LIMIT_WINDOW_MS);
    },
    acceptsRevokedKey(scenario: RotationScenario): ExposureWindow | null {
      if (!scenario.revokes) return null;
      return windowFrom(scenario.at, scenario.at + cacheMs);
    },
  };
}

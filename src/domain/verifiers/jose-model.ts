import { keySetCacheModel } from './key-set-cache-model.ts';
import type { VerifierModel } from './verifier-model.ts';

/** jose's `createRemoteJWKSet` options that shape its cache (milliseconds, as jose takes them). */
export interface JoseModelOptions {
  cacheMaxAge?: number;
  cooldownDuration?: number;
}

/**
 * jose (panva/jose) 6.x `createRemoteJWKSet`, read in `src/jwks/remote.ts` (6.2.17 here): every
 * lookup reloads the JWKS once it is `cacheMaxAge` old (default 600000 ms); a kid the local set
 * lacks (`JWKSNoMatchingKey`) triggers one reload unless the last fetch is younger than
 * `cooldownDuration` (default 30000 ms), in which case the token is refused. Time is `Date.now()`.
 */
export function joseModel(options: JoseModelOptions = {}): VerifierModel {
  const cacheMs = options.cacheMaxAge ?? 600_000;
  const missCooldownMs = options.cooldownDuration ?? 30_000;
  return keySetCacheModel({
    library: 'jose',
    model:
      `jose 6.x createRemoteJWKSet: JWKS cached ${cacheMs / 1000} s (cacheMaxAge), refetched on an unknown kid ` +
      `unless fetched less than ${missCooldownMs / 1000} s before (cooldownDuration)`,
    cacheMs,
    missCooldownMs,
  });
}

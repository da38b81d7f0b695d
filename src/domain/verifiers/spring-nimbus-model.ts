import { keySetCacheModel } from './key-set-cache-model.ts';
import type { VerifierModel } from './verifier-model.ts';

/** Nimbus cache settings as Spring Security configures them. */
export interface SpringNimbusModelOptions {
  /** Nimbus `JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE` (5 min). */
  timeToLiveSeconds?: number;
}

/**
 * Spring Security 6.x `NimbusJwtDecoder.withJwkSetUri(...)` on nimbus-jose-jwt 9.x/10.x, read in
 * Spring's `NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder.jwkSource()` (builds
 * `JWKSourceBuilder.create(new SpringJWKSource(...)).rateLimited(false).refreshAheadCache(false)`)
 * and Nimbus `com.nimbusds.jose.jwk.source.JWKSourceBuilder` / `CachingJWKSetSource` /
 * `JWKSetBasedJWKSource` (and the older `RemoteJWKSet` with `DefaultJWKSetCache`, same numbers): the
 * JWKS is cached 5 minutes, and a kid missing from it refetches at once, since Spring turns Nimbus's
 * 30 s rate limit off.
 */
export function springNimbusModel(options: SpringNimbusModelOptions = {}): VerifierModel {
  const ttl = options.timeToLiveSeconds ?? 300;
  return keySetCacheModel({
    library: 'spring-nimbus',
    model: `Spring Security NimbusJwtDecoder (Nimbus JWKSourceBuilder): JWKS cached ${ttl} s, refetched on an unknown kid`,
    cacheMs: ttl * 1000,
    missCooldownMs: 0,
  });
}

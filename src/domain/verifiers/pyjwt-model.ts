import { keySetCacheModel } from './key-set-cache-model.ts';
import type { VerifierModel } from './verifier-model.ts';

/** PyJWT `PyJWKClient` options that shape its cache. */
export interface PyjwtModelOptions {
  /** `lifespan` in seconds (default 300). */
  lifespan?: number;
}

/**
 * PyJWT 2.x `PyJWKClient` with its defaults (`cache_jwk_set=True`, `lifespan=300`,
 * `cache_keys=False`), read in `jwt/jwks_client.py` and `jwt/jwk_set_cache.py` (2.6.0, Debian
 * python3-jwt): `get_signing_key` looks the kid up in the cached set, which expires `lifespan`
 * seconds after it was fetched (`time.monotonic()`), and on a miss fetches once more
 * (`get_signing_keys(refresh=True)`) with no cooldown. With `cache_keys=True` a found key stays in an
 * `lru_cache` for the life of the process; that setting is not modelled here.
 */
export function pyjwtModel(options: PyjwtModelOptions = {}): VerifierModel {
  const lifespan = options.lifespan ?? 300;
  return keySetCacheModel({
    library: 'pyjwt',
    model: `PyJWT 2.x PyJWKClient: JWKS cached ${lifespan} s (lifespan), one refetch on an unknown kid`,
    cacheMs: lifespan * 1000,
    missCooldownMs: 0,
  });
}

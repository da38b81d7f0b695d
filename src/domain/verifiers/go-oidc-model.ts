import { keySetCacheModel } from './key-set-cache-model.ts';
import type { VerifierModel } from './verifier-model.ts';

/**
 * coreos/go-oidc v3 `RemoteKeySet`, read in `oidc/jwks.go`: `verify` tries the cached keys
 * (`keysFromCache`), which never expire, and only when none verifies (an unknown kid) fetches the
 * JWKS again (`keysFromRemote`, one request shared by concurrent callers, no rate limit). So a new
 * key is picked up at once, but a revoked key stays trusted until a token with an unknown kid
 * arrives or the process restarts.
 */
export function goOidcModel(): VerifierModel {
  return keySetCacheModel({
    library: 'go-oidc',
    model: 'coreos/go-oidc v3 RemoteKeySet: keys cached without expiry, refetched only on an unknown kid',
    cacheMs: Infinity,
    missCooldownMs: 0,
  });
}

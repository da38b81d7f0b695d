import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** How many verified tokens are remembered; management callers are few, so a small bound serves them all. */
const VERIFIED_TOKENS = 1000;

/**
 * Verifies RFC 9068 access tokens against in-memory JWKS documents, caching parsed sets by ETag.
 * A token that verified is remembered with the JWKS document (by ETag) and the expectations it
 * verified against, so a management caller presenting the same token again costs no signature
 * verification (for RS256 the largest cost of its request): any change of the JWKS (a key revoked
 * or retired) or of the expected issuers and audiences misses and verifies afresh, and the two
 * time checks are re-applied to the remembered payload at each use, as jose applies them.
 */
export function createAccessTokenVerifier() {
  const sets = new Map<string, ReturnType<typeof createLocalJWKSet>>();
  const verified = new Map<string, JWTPayload>();
  return {
    /** Returns the payload of a valid token, or undefined for any invalid, expired or foreign token. */
    async verify(
      token: string,
      jwks: { body: Buffer; etag: string },
      expected: { issuers: string[]; audience: string | string[]; clockToleranceSeconds: number; now: number },
    ): Promise<JWTPayload | undefined> {
      const key = `${jwks.etag}\u0000${expected.issuers.join(' ')}\u0000${expected.audience}\u0000${expected.clockToleranceSeconds}\u0000${token}`;
      const remembered = verified.get(key);
      if (remembered) return inTime(remembered, expected) ? remembered : undefined;
      let set = sets.get(jwks.etag);
      if (!set) {
        if (sets.size > 1000) sets.clear();
        set = createLocalJWKSet(JSON.parse(jwks.body.toString('utf8')));
        sets.set(jwks.etag, set);
      }
      try {
        const { payload } = await jwtVerify(token, set, {
          issuer: expected.issuers,
          audience: expected.audience,
          typ: 'at+jwt',
          clockTolerance: expected.clockToleranceSeconds,
          currentDate: new Date(expected.now),
        });
        if (verified.size >= VERIFIED_TOKENS) verified.clear();
        verified.set(key, payload);
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}

/** jose's `nbf` and `exp` checks (numeric dates, validated when the token first verified) at `expected.now`. */
function inTime(payload: JWTPayload, expected: { clockToleranceSeconds: number; now: number }): boolean {
  const now = Math.floor(expected.now / 1000);
  const tolerance = expected.clockToleranceSeconds;
  if (payload.nbf !== undefined && payload.nbf > now + tolerance) return false;
  return payload.exp === undefined || payload.exp > now - tolerance;
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;

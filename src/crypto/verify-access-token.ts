import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** Verifies RFC 9068 access tokens against in-memory JWKS documents, caching parsed sets by ETag. */
export function createAccessTokenVerifier() {
  const sets = new Map<string, ReturnType<typeof createLocalJWKSet>>();
  return {
    /** Returns the payload of a valid token, or undefined for any invalid, expired or foreign token. */
    async verify(
      token: string,
      jwks: { body: Buffer; etag: string },
      expected: { issuers: string[]; audience: string | string[]; clockToleranceSeconds: number; now: number },
    ): Promise<JWTPayload | undefined> {
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
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;

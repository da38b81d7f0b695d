import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import type { PublicJwk } from '../domain/types.ts';
import { computeKid } from './compute-kid.ts';
import { toPublicJwk } from './to-public-jwk.ts';

// RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace.
function manualThumbprint(jwk: PublicJwk): string {
  const required =
    jwk.kty === 'RSA'
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : jwk.kty === 'EC'
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
        : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}

describe('computeKid', () => {
  it('matches the worked example of RFC 7638 §3.1', async () => {
    const jwk: PublicJwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
    };
    assert.equal(await computeKid(jwk), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('equals the RFC 7638 thumbprint for EC and OKP keys', async () => {
    for (const pair of [generateKeyPairSync('ec', { namedCurve: 'P-521' }), generateKeyPairSync('ed25519')]) {
      const jwk = toPublicJwk(pair.publicKey);
      const kid = await computeKid(jwk);
      assert.equal(kid, manualThumbprint(jwk));
      assert.match(kid, /^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('does not depend on member order', async () => {
    const jwk = toPublicJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    const reordered: PublicJwk = { y: jwk.y, x: jwk.x, crv: jwk.crv, kty: 'EC' } as PublicJwk;
    assert.equal(await computeKid(reordered), await computeKid(jwk));
  });
});

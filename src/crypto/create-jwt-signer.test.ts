import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Algorithm } from '../domain/types.ts';
import { isSignetError } from '../errors.ts';
import { ALGORITHMS } from './algorithms.ts';
import { createJwtSigner } from './create-jwt-signer.ts';
import { toPublicJwk } from './to-public-jwk.ts';

const ALL = Object.keys(ALGORITHMS) as Algorithm[];

function pairFor(alg: Algorithm) {
  const spec = ALGORITHMS[alg];
  if (spec.kty === 'RSA') return generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (spec.kty === 'EC') return generateKeyPairSync('ec', { namedCurve: spec.crv as string });
  return generateKeyPairSync('ed25519');
}

function jwks(publicKey: KeyObject, alg: Algorithm, kid: string) {
  return createLocalJWKSet({ keys: [{ ...toPublicJwk(publicKey), alg, kid, use: 'sig' }] });
}

describe('createJwtSigner', () => {
  // One RSA key serves all six RSA algorithms; keeps the suite fast.
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaOther = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = (alg: Algorithm) =>
    ALGORITHMS[alg].kty === 'RSA' ? { mine: rsa, other: rsaOther } : { mine: pairFor(alg), other: pairFor(alg) };
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'https://issuer.example',
    sub: 'client-1',
    aud: 'api://default',
    iat: now,
    exp: now + 300,
    jti: 'j1',
    scope: 'a b',
    nested: { ü: ['✓'] },
  };

  for (const [alg, offload] of ALL.flatMap((alg) => [false, true].map((offload) => [alg, offload] as const))) {
    it(`signs ${alg} tokens ${offload ? 'on the thread pool' : 'inline'} that jose verifies with the typ and kid headers`, async () => {
      const { mine, other } = keys(alg);
      const sign = createJwtSigner({ alg, kid: `kid-${alg}`, privateKey: mine.privateKey, offload });
      const token = await sign(claims);
      const { payload, protectedHeader } = await jwtVerify(token, jwks(mine.publicKey, alg, `kid-${alg}`), {
        algorithms: [alg],
        typ: 'at+jwt',
        issuer: claims.iss,
        audience: claims.aud,
      });
      assert.deepEqual(protectedHeader, { alg, typ: 'at+jwt', kid: `kid-${alg}` });
      assert.deepEqual(payload, claims);
      // The same kid served with another key's public half must not verify.
      await assert.rejects(jwtVerify(token, jwks(other.publicKey, alg, `kid-${alg}`), { algorithms: [alg] }), {
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });
  }

  it('writes ES signatures as fixed-width R || S (RFC 7518 §3.4), not DER', async () => {
    for (const [alg, bytes] of [
      ['ES256', 64],
      ['ES384', 96],
      ['ES512', 132],
    ] as const) {
      const sign = createJwtSigner({ alg, kid: 'k', privateKey: pairFor(alg).privateKey });
      for (let i = 0; i < 5; i += 1) {
        const signature = (await sign({ i })).split('.')[2] as string;
        assert.equal(Buffer.from(signature, 'base64url').length, bytes);
      }
    }
  });

  it('produces randomised PS signatures and deterministic RS signatures', async () => {
    const ps = createJwtSigner({ alg: 'PS256', kid: 'k', privateKey: rsa.privateKey });
    const rs = createJwtSigner({ alg: 'RS256', kid: 'k', privateKey: rsa.privateKey });
    assert.notEqual(await ps({ a: 1 }), await ps({ a: 1 }));
    assert.equal(await rs({ a: 1 }), await rs({ a: 1 }));
  });

  it('uses a custom typ when given', async () => {
    const sign = createJwtSigner({ alg: 'EdDSA', kid: 'k1', privateKey: pairFor('EdDSA').privateKey, typ: 'JWT' });
    assert.deepEqual(decodeProtectedHeader(await sign({})), { alg: 'EdDSA', typ: 'JWT', kid: 'k1' });
  });

  it('refuses a public key or a key that does not fit the algorithm', () => {
    const invalid = (error: unknown) => isSignetError(error, 'ERR_INVALID_KEY');
    assert.throws(() => createJwtSigner({ alg: 'RS256', kid: 'k', privateKey: rsa.publicKey }), invalid);
    assert.throws(() => createJwtSigner({ alg: 'ES256', kid: 'k', privateKey: pairFor('ES384').privateKey }), invalid);
    assert.throws(() => createJwtSigner({ alg: 'EdDSA', kid: 'k', privateKey: rsa.privateKey }), invalid);
    assert.throws(
      () => createJwtSigner({ alg: 'HS256' as Algorithm, kid: 'k', privateKey: rsa.privateKey }),
      (error) => isSignetError(error, 'ERR_UNSUPPORTED_ALGORITHM'),
    );
  });
});

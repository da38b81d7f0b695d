import assert from 'node:assert/strict';
import { createHash, randomBytes, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from 'jose';
import type { Algorithm, Key } from '../domain/types.ts';
import { isSignetError } from '../errors.ts';
import { ALGORITHMS } from './algorithms.ts';
import { createJwtSigner } from './create-jwt-signer.ts';
import { createSealer } from './create-sealer.ts';
import { generateKeyPair, type KeyPair } from './generate-key-pair.ts';
import { masterKeyId } from './master-key.ts';
import { mintKey, type MintKeyOptions } from './mint-key.ts';
import { toJwksEntry } from './to-jwks-entry.ts';
import { unsealPrivateKey } from './unseal-private-key.ts';
import { x509 } from './x509.ts';

const ALL = Object.keys(ALGORITHMS) as Algorithm[];
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0, 250);
const YEAR_SECONDS = 365 * 24 * 3600;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const PUBLIC_MEMBERS = { RSA: ['n', 'e'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'] } as const;

const masterKeyBytes = randomBytes(32);
const sealer = createSealer([{ id: masterKeyId(masterKeyBytes), key: masterKeyBytes }]);

function options(alg: Algorithm, keyPair: KeyPair, overrides: Partial<MintKeyOptions> = {}): MintKeyOptions {
  return {
    keySetId: 'ks_test',
    alg,
    keyPair,
    sealer,
    now: NOW,
    state: 'next',
    origin: 'generated',
    certificateValiditySeconds: YEAR_SECONDS,
    tokenLifetimeCeilingSeconds: 3600,
    ...overrides,
  };
}

describe('mintKey, end to end for every algorithm', () => {
  for (const alg of ALL) {
    it(`${alg}: kid, JWKS entry, certificate and signed tokens all agree`, async () => {
      const keyPair = await generateKeyPair(alg);
      const key = await mintKey(options(alg, keyPair));
      const spec = ALGORITHMS[alg];

      // kid is the RFC 7638 thumbprint, as jose computes it from the public key alone.
      const publicJwk = keyPair.publicKey.export({ format: 'jwk' });
      assert.equal(
        key.kid,
        await calculateJwkThumbprint(publicJwk as Parameters<typeof calculateJwkThumbprint>[0], 'sha256'),
      );

      // The JWKS entry has exactly the expected members, and nothing private.
      const entry = toJwksEntry(key);
      assert.deepEqual(
        Object.keys(entry).sort(),
        ['kty', 'use', 'alg', 'kid', ...PUBLIC_MEMBERS[spec.kty], 'x5c', 'x5t', 'x5t#S256'].sort(),
      );
      assert.equal(entry.kty, spec.kty);
      assert.equal(entry.alg, alg);
      assert.equal(entry.kid, key.kid);
      for (const member of PRIVATE_MEMBERS) {
        assert.equal(member in entry, false, member);
        assert.equal(member in key.publicJwk, false, member);
      }
      const privateD = keyPair.privateKey.export({ format: 'jwk' }).d as string;
      assert.equal(JSON.stringify(entry).includes(privateD), false);
      assert.equal(JSON.stringify(key).includes(privateD), false);

      // The x5c certificate certifies this very key, signs itself, and its thumbprints match.
      assert.equal(entry.x5c.length, 1);
      const der = Buffer.from(entry.x5c[0] as string, 'base64');
      const certificate = new x509.X509Certificate(der);
      assert.deepEqual(
        Buffer.from(certificate.publicKey.rawData),
        keyPair.publicKey.export({ format: 'der', type: 'spki' }),
      );
      assert.equal(await certificate.verify({ signatureOnly: true }), true);
      assert.equal(new NodeX509Certificate(der).verify(keyPair.publicKey), true);
      assert.equal(entry.x5t, createHash('sha1').update(der).digest('base64url'));
      assert.equal(entry['x5t#S256'], createHash('sha256').update(der).digest('base64url'));
      assert.deepEqual(certificate.subjectName.getField('CN'), [`Signet signing key ${key.kid}`]);

      // A token signed with the unsealed key verifies against the published entry, and only against it.
      const sign = createJwtSigner({ alg, kid: key.kid, privateKey: unsealPrivateKey(key, sealer) });
      const token = await sign({
        iss: 'https://issuer.example',
        sub: 'c1',
        aud: 'api://default',
        exp: Math.floor(Date.now() / 1000) + 60,
      });
      const { protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys: [entry] }), {
        typ: 'at+jwt',
        algorithms: [alg],
      });
      assert.equal(protectedHeader.kid, key.kid);
      assert.equal(protectedHeader.typ, 'at+jwt');
      const other = await mintKey(options(alg, await generateKeyPair(alg)));
      await assert.rejects(jwtVerify(token, createLocalJWKSet({ keys: [{ ...toJwksEntry(other), kid: key.kid }] })), {
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
      await assert.rejects(jwtVerify(token, createLocalJWKSet({ keys: [toJwksEntry(other)] })), {
        code: 'ERR_JWKS_NO_MATCHING_KEY',
      });
    });
  }
});

describe('mintKey, the record', () => {
  it('fills a complete next key with timestamps at now', async () => {
    const keyPair = await generateKeyPair('ES256');
    const key = await mintKey(options('ES256', keyPair, { origin: 'imported', tokenLifetimeCeilingSeconds: 7200 }));
    const expected: Omit<Key, 'kid' | 'publicJwk' | 'sealedPrivateKey' | 'certificateDer'> = {
      keySetId: 'ks_test',
      alg: 'ES256',
      state: 'next',
      origin: 'imported',
      tokenObjectId: null,
      certificateIssuer: 'signet',
      // 5 minutes of backdating for verifier clock skew, truncated to whole seconds (X.509 time).
      certificateNotBefore: Date.UTC(2025, 5, 1, 11, 55, 0),
      certificateNotAfter: Date.UTC(2026, 5, 1, 12, 0, 0),
      createdAt: NOW,
      publishedAt: NOW,
      activatedAt: null,
      drainingSince: null,
      retireAt: null,
      retiredAt: null,
      revokedAt: null,
      tokenLifetimeCeilingSeconds: 7200,
    };
    const { kid, publicJwk, sealedPrivateKey, certificateDer, ...rest } = key;
    assert.deepEqual(rest, expected);
    assert.match(kid, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(publicJwk.kty, 'EC');
    assert.ok(sealedPrivateKey?.startsWith(`sgk1.${sealer.currentMasterKeyId}.`));
    assert.ok(certificateDer.length > 0);
  });

  it('marks an active key as activated now', async () => {
    const key = await mintKey(options('EdDSA', await generateKeyPair('EdDSA'), { state: 'active' }));
    assert.equal(key.state, 'active');
    assert.equal(key.activatedAt, NOW);
  });

  it('binds the sealed private key to its key set and kid', async () => {
    const keyPair = await generateKeyPair('EdDSA');
    const key = await mintKey(options('EdDSA', keyPair));
    assert.deepEqual(
      unsealPrivateKey(key, sealer).export({ format: 'jwk' }),
      keyPair.privateKey.export({ format: 'jwk' }),
    );
    assert.throws(
      () => unsealPrivateKey({ ...key, keySetId: 'ks_other' }, sealer),
      (error) => isSignetError(error, 'ERR_INTERNAL'),
    );
    assert.throws(
      () => sealer.unseal(key.sealedPrivateKey ?? '', `ks_test/${key.kid}x`),
      (error) => isSignetError(error, 'ERR_INTERNAL'),
    );
  });

  it('uses a given common name', async () => {
    const key = await mintKey(options('ES256', await generateKeyPair('ES256'), { commonName: 'acme signing' }));
    assert.deepEqual(new x509.X509Certificate(Buffer.from(key.certificateDer, 'base64')).subjectName.getField('CN'), [
      'acme signing',
    ]);
  });

  it('refuses a key pair that does not fit the algorithm', async () => {
    await assert.rejects(mintKey(options('ES384', await generateKeyPair('ES256'))), (error) =>
      isSignetError(error, 'ERR_INVALID_KEY'),
    );
  });

  it('refuses a key pair whose public key belongs to another private key', async () => {
    const mine = await generateKeyPair('EdDSA');
    const stranger = await generateKeyPair('EdDSA');
    await assert.rejects(
      mintKey(options('EdDSA', { privateKey: mine.privateKey, publicKey: stranger.publicKey })),
      (error) => isSignetError(error, 'ERR_INVALID_KEY'),
    );
  });
});

describe('mintKey with a certificate issued elsewhere', () => {
  it('keeps a certificate that certifies the key pair and refuses one of another key', async () => {
    const keyPair = await generateKeyPair('RS256');
    const issued = await mintKey(options('RS256', keyPair, { certificateValiditySeconds: 10 * YEAR_SECONDS }));
    const certificate = {
      der: issued.certificateDer,
      notBefore: issued.certificateNotBefore,
      notAfter: issued.certificateNotAfter,
    };
    const adopted = await mintKey(options('RS256', keyPair, { keySetId: 'ks_other', kid: issued.kid, certificate }));
    assert.equal(adopted.certificateDer, issued.certificateDer);
    assert.equal(adopted.certificateNotAfter, issued.certificateNotAfter);
    // A given certificate is a CA's unless the caller says Signet issued it (a clone of a self-signed key).
    assert.equal(adopted.certificateIssuer, 'external');
    const cloned = await mintKey(
      options('RS256', keyPair, { keySetId: 'ks_clone', kid: issued.kid, certificate, certificateIssuer: 'signet' }),
    );
    assert.equal(cloned.certificateIssuer, 'signet');
    // Sealed again for its own row: the copy unseals under its key set, not the original's.
    assert.ok(unsealPrivateKey(adopted, sealer));
    assert.throws(() => unsealPrivateKey({ ...adopted, keySetId: 'ks_test' }, sealer));
    await assert.rejects(mintKey(options('RS256', await generateKeyPair('RS256'), { certificate })), (error) =>
      isSignetError(error, 'ERR_INVALID_KEY'),
    );
  });
});

import assert from 'node:assert/strict';
import { randomBytes, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { createSealer } from './create-sealer.ts';
import { generateKeyPair } from './generate-key-pair.ts';
import { masterKeyId } from './master-key.ts';
import { mintKey } from './mint-key.ts';
import { createSealedCustody } from '../custody/create-sealed-custody.ts';
import { reissueCertificate } from './reissue-certificate.ts';
import { x509 } from './x509.ts';

const bytes = randomBytes(32);
const sealer = createSealer([{ id: masterKeyId(bytes), key: bytes }]);
const MINTED_AT = Date.UTC(2025, 0, 1);
const RENEWED_AT = Date.UTC(2025, 11, 1, 8, 30, 0, 999);
const DAY_SECONDS = 24 * 3600;

describe('reissueCertificate', () => {
  for (const alg of ['PS256', 'ES512', 'EdDSA'] as const) {
    it(`issues a fresh ${alg} certificate for the same key`, async () => {
      const keyPair = await generateKeyPair(alg);
      const key = await mintKey({
        keySetId: 'ks_1',
        alg,
        keyPair,
        sealer,
        now: MINTED_AT,
        state: 'active',
        origin: 'imported',
        certificateValiditySeconds: 365 * DAY_SECONDS,
        tokenLifetimeCeilingSeconds: 3600,
        commonName: 'kept name',
      });
      const renewed = await reissueCertificate({
        key,
        custody: createSealedCustody({ sealer }),
        now: RENEWED_AT,
        certificateValiditySeconds: 30 * DAY_SECONDS,
      });
      assert.deepEqual(Object.keys(renewed).sort(), [
        'certificateDer',
        'certificateIssuer',
        'certificateNotAfter',
        'certificateNotBefore',
      ]);
      // The new certificate is Signet's own, so the scheduler renews it again in turn.
      assert.equal(renewed.certificateIssuer, 'signet');
      assert.notEqual(renewed.certificateDer, key.certificateDer);
      assert.equal(renewed.certificateNotBefore, Date.UTC(2025, 11, 1, 8, 25, 0));
      assert.equal(renewed.certificateNotAfter, Date.UTC(2025, 11, 31, 8, 30, 0));
      const der = Buffer.from(renewed.certificateDer, 'base64');
      const certificate = new NodeX509Certificate(der);
      // Same key: the kid, which is derived from the public key, stays valid.
      assert.deepEqual(
        certificate.publicKey.export({ format: 'der', type: 'spki' }),
        keyPair.publicKey.export({ format: 'der', type: 'spki' }),
      );
      assert.equal(certificate.verify(keyPair.publicKey), true);
      assert.deepEqual(new x509.X509Certificate(der).subjectName.getField('CN'), ['kept name']);
    });
  }

  it('refuses a record whose sealed key does not match its published public key', async () => {
    const mint = async () =>
      mintKey({
        keySetId: 'ks_1',
        alg: 'ES256',
        keyPair: await generateKeyPair('ES256'),
        sealer,
        now: MINTED_AT,
        state: 'next',
        origin: 'generated',
        certificateValiditySeconds: DAY_SECONDS,
        tokenLifetimeCeilingSeconds: 3600,
      });
    const [key, other] = [await mint(), await mint()];
    // A row whose public JWK was swapped for another key's: its certificate must not be renewed.
    const forged = { ...key, publicJwk: other.publicJwk };
    await assert.rejects(
      reissueCertificate({
        key: forged,
        custody: createSealedCustody({ sealer }),
        now: RENEWED_AT,
        certificateValiditySeconds: DAY_SECONDS,
      }),
      (error) => isSignetError(error, 'ERR_INTERNAL'),
    );
  });
});

import assert from 'node:assert/strict';
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Algorithm } from '../domain/types.ts';
import { isSignetError } from '../errors.ts';
import { createCertificate } from './create-certificate.ts';
import { generateKeyPair, type KeyPair } from './generate-key-pair.ts';
import { x509 } from './x509.ts';

const NOT_BEFORE = Date.UTC(2025, 0, 1, 0, 0, 0, 789);
const NOT_AFTER = Date.UTC(2026, 0, 1, 0, 0, 0, 123);

// The certificate's signatureAlgorithm as @peculiar/x509 maps its OID back to WebCrypto terms.
const PKCS1 = (hash: string) => ({ name: 'RSASSA-PKCS1-v1_5', hash: { name: hash } });
const ECDSA = (hash: string) => ({ name: 'ECDSA', hash: { name: hash } });
const SIGNATURE_ALGORITHMS: Record<Algorithm, object> = {
  RS256: PKCS1('SHA-256'),
  RS384: PKCS1('SHA-384'),
  RS512: PKCS1('SHA-512'),
  // PS keys are rsaEncryption keys: their certificates are signed with PKCS#1 v1.5 and the same hash.
  PS256: PKCS1('SHA-256'),
  PS384: PKCS1('SHA-384'),
  PS512: PKCS1('SHA-512'),
  ES256: ECDSA('SHA-256'),
  ES384: ECDSA('SHA-384'),
  ES512: ECDSA('SHA-512'),
  EdDSA: { name: 'Ed25519' },
};

describe('createCertificate', async () => {
  const rsa = await generateKeyPair('RS256');
  const pairs: Record<string, KeyPair> = {
    RSA: rsa,
    ES256: await generateKeyPair('ES256'),
    ES384: await generateKeyPair('ES384'),
    ES512: await generateKeyPair('ES512'),
    EdDSA: await generateKeyPair('EdDSA'),
  };
  const pairFor = (alg: Algorithm): KeyPair =>
    pairs[alg.startsWith('RS') || alg.startsWith('PS') ? 'RSA' : alg] as KeyPair;

  for (const alg of Object.keys(SIGNATURE_ALGORITHMS) as Algorithm[]) {
    it(`issues a self-signed ${alg} certificate that verifies with its own key`, async () => {
      const keyPair = pairFor(alg);
      const result = await createCertificate({
        keyPair,
        alg,
        commonName: 'test',
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
      });
      const der = Buffer.from(result.der, 'base64');
      assert.equal(der.toString('base64'), result.der, 'standard base64');
      assert.deepEqual(new x509.X509Certificate(der).signatureAlgorithm, SIGNATURE_ALGORITHMS[alg]);
      // Two independent parsers: OpenSSL through node:crypto, and @peculiar/x509.
      const nodeCertificate = new NodeX509Certificate(der);
      assert.equal(nodeCertificate.verify(keyPair.publicKey), true);
      assert.equal(nodeCertificate.subject, nodeCertificate.issuer);
      assert.deepEqual(
        nodeCertificate.publicKey.export({ format: 'der', type: 'spki' }),
        keyPair.publicKey.export({ format: 'der', type: 'spki' }),
      );
      assert.equal(await new x509.X509Certificate(der).verify({ signatureOnly: true }), true);
    });
  }

  it('returns the validity actually in the certificate, truncated to seconds', async () => {
    const result = await createCertificate({
      keyPair: pairs.ES256 as KeyPair,
      alg: 'ES256',
      commonName: 'test',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    });
    assert.equal(result.notBefore, Date.UTC(2025, 0, 1));
    assert.equal(result.notAfter, Date.UTC(2026, 0, 1));
    const certificate = new x509.X509Certificate(Buffer.from(result.der, 'base64'));
    assert.equal(certificate.notBefore.getTime(), result.notBefore);
    assert.equal(certificate.notAfter.getTime(), result.notAfter);
  });

  it('handles validity past 2049, where X.509 switches to GeneralizedTime (RFC 5280 §4.1.2.5)', async () => {
    const notAfter = Date.UTC(2061, 5, 1, 12, 30, 15);
    const result = await createCertificate({
      keyPair: pairs.EdDSA as KeyPair,
      alg: 'EdDSA',
      commonName: 'test',
      notBefore: NOT_BEFORE,
      notAfter,
    });
    assert.equal(result.notAfter, notAfter);
    assert.equal(new NodeX509Certificate(Buffer.from(result.der, 'base64')).validToDate.getTime(), notAfter);
  });

  it('is an end-entity certificate for digital signatures with a random positive serial', async () => {
    const issue = () =>
      createCertificate({
        keyPair: pairs.ES256 as KeyPair,
        alg: 'ES256',
        commonName: 'test',
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
      });
    const [a, b] = await Promise.all([issue(), issue()]);
    const certificate = new x509.X509Certificate(Buffer.from(a.der, 'base64'));
    const basic = certificate.getExtension(x509.BasicConstraintsExtension);
    assert.ok(basic);
    assert.equal(basic.ca, false);
    assert.equal(basic.critical, true);
    const usage = certificate.getExtension(x509.KeyUsagesExtension);
    assert.ok(usage);
    assert.equal(usage.usages, x509.KeyUsageFlags.digitalSignature);
    assert.equal(new NodeX509Certificate(Buffer.from(a.der, 'base64')).ca, false);
    // Positive: the first content octet of the INTEGER has its top bit clear (RFC 5280 §4.1.2.2).
    const serial = Buffer.from(certificate.serialNumber, 'hex');
    assert.ok(serial.length >= 8 && serial.length <= 20);
    assert.equal((serial[0] as number) & 0x80, 0);
    assert.notEqual(certificate.serialNumber, new x509.X509Certificate(Buffer.from(b.der, 'base64')).serialNumber);
  });

  it('puts the common name in the subject and issuer verbatim, without RDN injection', async () => {
    const commonName = 'Acme, O=Evil Corp';
    const result = await createCertificate({
      keyPair: pairs.ES256 as KeyPair,
      alg: 'ES256',
      commonName,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    });
    const certificate = new x509.X509Certificate(Buffer.from(result.der, 'base64'));
    assert.deepEqual(certificate.subjectName.getField('CN'), [commonName]);
    assert.deepEqual(certificate.subjectName.getField('O'), []);
    assert.equal(certificate.subject, certificate.issuer);
  });

  it('refuses a key that does not fit the algorithm', async () => {
    await assert.rejects(
      createCertificate({
        keyPair: pairs.ES256 as KeyPair,
        alg: 'ES384',
        commonName: 'test',
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
      }),
      (error) => isSignetError(error, 'ERR_INVALID_KEY'),
    );
  });

  it('refuses a public key that belongs to another private key', async () => {
    const keyPair = {
      privateKey: (pairs.ES256 as KeyPair).privateKey,
      publicKey: (await generateKeyPair('ES256')).publicKey,
    };
    await assert.rejects(
      createCertificate({ keyPair, alg: 'ES256', commonName: 'test', notBefore: NOT_BEFORE, notAfter: NOT_AFTER }),
      (error) => isSignetError(error, 'ERR_INVALID_KEY'),
    );
  });

  it('refuses an empty validity, bad times and over-long common names with ERR_VALIDATION', async () => {
    const keyPair = pairs.EdDSA as KeyPair;
    for (const [commonName, notBefore, notAfter] of [
      // Same second once truncated.
      ['test', NOT_BEFORE, NOT_BEFORE + 100],
      ['test', NOT_AFTER, NOT_BEFORE],
      ['test', Number.NaN, NOT_AFTER],
      ['', NOT_BEFORE, NOT_AFTER],
      ['x'.repeat(65), NOT_BEFORE, NOT_AFTER],
    ] as const) {
      await assert.rejects(createCertificate({ keyPair, alg: 'EdDSA', commonName, notBefore, notAfter }), (error) =>
        isSignetError(error, 'ERR_VALIDATION'),
      );
    }
  });
});

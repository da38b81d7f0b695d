import assert from 'node:assert/strict';
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { certificateThumbprints } from './certificate-thumbprints.ts';
import { createCertificate } from './create-certificate.ts';
import { generateKeyPair } from './generate-key-pair.ts';

// node:crypto prints fingerprints as colon-separated hex.
const fromFingerprint = (fingerprint: string): string =>
  Buffer.from(fingerprint.replaceAll(':', ''), 'hex').toString('base64url');

describe('certificateThumbprints', () => {
  it('matches the SHA-1 and SHA-256 fingerprints OpenSSL computes (RFC 7517 §4.8, §4.9)', async () => {
    const keyPair = await generateKeyPair('ES256');
    const { der } = await createCertificate({
      keyPair,
      alg: 'ES256',
      commonName: 'test',
      notBefore: Date.UTC(2025, 0, 1),
      notAfter: Date.UTC(2026, 0, 1),
    });
    const certificate = new NodeX509Certificate(Buffer.from(der, 'base64'));
    const thumbprints = certificateThumbprints(der);
    assert.equal(thumbprints.x5t, fromFingerprint(certificate.fingerprint));
    assert.equal(thumbprints.x5tS256, fromFingerprint(certificate.fingerprint256));
    assert.match(thumbprints.x5t, /^[A-Za-z0-9_-]{27}$/);
    assert.match(thumbprints.x5tS256, /^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses text that is not base64 DER', () => {
    for (const value of ['', 'not a certificate', Buffer.from('hello').toString('base64')]) {
      assert.throws(
        () => certificateThumbprints(value),
        (error) => isSignetError(error, 'ERR_VALIDATION'),
      );
    }
  });
});

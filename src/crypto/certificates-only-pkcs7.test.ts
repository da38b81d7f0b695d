import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ContentInfo, SignedData, id_data, id_signedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { certificatesOnlyPkcs7 } from './certificates-only-pkcs7.ts';
import { createCertificate } from './create-certificate.ts';
import { generateKeyPair } from './generate-key-pair.ts';
import { certificateSha1 } from './certificate-sha1.ts';
import { toPem } from './to-pem.ts';
import { x509 } from './x509.ts';

async function certificate(): Promise<string> {
  const pair = await generateKeyPair('RS256', 2048);
  const created = await createCertificate({
    keyPair: pair,
    alg: 'RS256',
    commonName: 'k1',
    notBefore: Date.UTC(2026, 0, 1),
    notAfter: Date.UTC(2026, 0, 2),
  });
  return created.der;
}

test("the PKCS#7 is a signer-less SignedData whose only certificate is the key's", async () => {
  const der = await certificate();
  const pkcs7 = certificatesOnlyPkcs7([der]);
  const info = AsnConvert.parse(pkcs7, ContentInfo);
  assert.equal(info.contentType, id_signedData);
  const signed = AsnConvert.parse(info.content, SignedData);
  assert.equal(signed.signerInfos.length, 0);
  assert.equal(signed.encapContentInfo.eContentType, id_data);
  assert.equal(signed.encapContentInfo.eContent, undefined);
  assert.equal(signed.certificates!.length, 1);
  assert.equal(Buffer.from(AsnConvert.serialize(signed.certificates![0]!.certificate!)).toString('base64'), der);
  // An independent reader (the X509Certificates PKCS#7 importer) finds the same certificate.
  const read = new x509.X509Certificates(toPem('PKCS7', pkcs7));
  assert.equal(Buffer.from(read[0]!.rawData).toString('base64'), der);
});

test('openssl reads the PKCS#7 PEM when it is installed', { skip: !hasOpenssl() }, async () => {
  const der = await certificate();
  const out = execFileSync('openssl', ['pkcs7', '-print_certs', '-noout'], {
    input: toPem('PKCS7', certificatesOnlyPkcs7([der]), '\r\n'),
  }).toString();
  assert.match(out, /subject=/);
});

test('PEM lines are 64 characters joined by the requested line end; SHA-1 fingerprints are uppercase hex', async () => {
  const der = await certificate();
  const pem = toPem('CERTIFICATE', Buffer.from(der, 'base64'), '\r\n');
  const lines = pem.split('\r\n');
  assert.equal(lines[0], '-----BEGIN CERTIFICATE-----');
  assert.equal(lines.at(-1), '-----END CERTIFICATE-----');
  assert.ok(lines.slice(1, -2).every((line) => line.length === 64));
  assert.ok(!pem.replace(/\r\n/g, '').includes('\n'));
  const { fingerprint, thumbprint } = certificateSha1(der);
  assert.match(thumbprint, /^[0-9A-F]{40}$/);
  assert.equal(fingerprint.replace(/:/g, ''), thumbprint);
  assert.equal(fingerprint.length, 59);
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

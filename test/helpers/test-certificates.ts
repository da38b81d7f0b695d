// A CA of the test's own, so a CSR can be answered with a really signed certificate and the key
// store can be fed real certificates; @peculiar/x509 is what an operator's tooling would use too.
import 'reflect-metadata';
import type { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(globalThis.crypto);

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const DAY_MS = 86_400_000;

export interface TestCa {
  name: string;
  keys: CryptoKeyPair;
}

/** A fresh RSA certificate authority. */
export async function createCa(): Promise<TestCa> {
  const keys = (await crypto.subtle.generateKey(RSA, false, ['sign', 'verify'])) as CryptoKeyPair;
  return { name: 'CN=Signet Test CA', keys };
}

/** Signs the public key of a PKCS#10 request (base64 DER) for `days` days from `from`; returns the certificate DER. */
export async function issueCertificate(
  ca: TestCa,
  csrBase64: string,
  days: number,
  from = Date.now(),
): Promise<Buffer> {
  const csr = new x509.Pkcs10CertificateRequest(Buffer.from(csrBase64, 'base64'));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: `${Date.now().toString(16)}01`,
    issuer: ca.name,
    subject: csr.subject,
    notBefore: new Date(from - 60_000),
    notAfter: new Date(from + days * DAY_MS),
    publicKey: csr.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  });
  return Buffer.from(certificate.rawData);
}

/** A self-signed certificate of a fresh RSA 2048 or EC key, standard base64 DER as in `x5c`. */
export async function selfSignedCertificate(
  kind: 'RSA' | 'P-256' | 'P-384' | 'P-521' | 'Ed25519' = 'RSA',
  commonName = 'idp.example',
): Promise<string> {
  const algorithm =
    kind === 'RSA'
      ? RSA
      : kind === 'Ed25519'
        ? { name: 'Ed25519' }
        : {
            name: 'ECDSA',
            namedCurve: kind,
            hash: kind === 'P-256' ? 'SHA-256' : kind === 'P-384' ? 'SHA-384' : 'SHA-512',
          };
  const keys = (await crypto.subtle.generateKey(algorithm, false, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 365 * DAY_MS),
    keys,
    signingAlgorithm: algorithm,
  });
  return Buffer.from(certificate.rawData).toString('base64');
}

/** PEM of a DER certificate. */
export function toPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

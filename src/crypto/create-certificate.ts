import { createPublicKey, randomBytes, type webcrypto } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec } from './algorithms.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import type { KeyPair } from './generate-key-pair.ts';
import { x509 } from './x509.ts';

/** A self-signed certificate and the validity it actually carries. */
export interface CertificateResult {
  /** Standard base64 of the DER, as in `x5c` (RFC 7517 §4.7). */
  der: string;
  /** Epoch ms, truncated to whole seconds as X.509 times are (RFC 5280 §4.1.2.5). */
  notBefore: number;
  notAfter: number;
}

export interface CreateCertificateOptions {
  keyPair: KeyPair;
  alg: Algorithm;
  commonName: string;
  notBefore: number;
  notAfter: number;
}

// X.520 ub-common-name (RFC 5280 Appendix A.1).
const MAX_COMMON_NAME_LENGTH = 64;

const WEBCRYPTO_HASH = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;

export interface WebCryptoParams {
  key: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm;
  signing: webcrypto.Algorithm | webcrypto.EcdsaParams;
}

/** The WebCrypto import and signing parameters of `alg` (certificates and CSRs are signed with them). */
export function webCryptoParams(alg: Algorithm): WebCryptoParams {
  const spec = algorithmSpec(alg);
  switch (spec.kty) {
    case 'RSA': {
      // PS* keys are plain rsaEncryption keys too, so their certificates are signed with
      // RSASSA-PKCS1-v1_5: every X.509 stack verifies it, while RSASSA-PSS signature parameters are not.
      const hash = WEBCRYPTO_HASH[spec.hash as keyof typeof WEBCRYPTO_HASH];
      return { key: { name: 'RSASSA-PKCS1-v1_5', hash }, signing: { name: 'RSASSA-PKCS1-v1_5' } };
    }
    case 'EC': {
      const hash = WEBCRYPTO_HASH[spec.hash as keyof typeof WEBCRYPTO_HASH];
      return {
        key: { name: 'ECDSA', namedCurve: spec.crv as string },
        signing: { name: 'ECDSA', hash } as webcrypto.EcdsaParams,
      };
    }
    case 'OKP':
      return { key: { name: 'Ed25519' }, signing: { name: 'Ed25519' } };
  }
}

function assertValidity(notBefore: number, notAfter: number): void {
  if (!Number.isFinite(notBefore) || !Number.isFinite(notAfter) || notBefore < 0) {
    throw new SignetError(
      'ERR_VALIDATION',
      'certificate validity times must be finite, non-negative epoch milliseconds',
    );
  }
  if (Math.floor(notAfter / 1000) <= Math.floor(notBefore / 1000)) {
    throw new SignetError('ERR_VALIDATION', 'certificate notAfter must be at least one second after notBefore');
  }
}

/** Issues a self-signed X.509 certificate for a signing key (key usage digitalSignature, not a CA). */
export async function createCertificate(options: CreateCertificateOptions): Promise<CertificateResult> {
  const { keyPair, alg, commonName, notBefore, notAfter } = options;
  assertKeyFitsAlgorithm(keyPair.privateKey, alg);
  // The certificate must certify the key that signs it; a mixed-up pair would publish a foreign key.
  const spki = createPublicKey(keyPair.privateKey).export({ format: 'der', type: 'spki' });
  if (keyPair.publicKey.type !== 'public' || !spki.equals(keyPair.publicKey.export({ format: 'der', type: 'spki' }))) {
    throw new SignetError('ERR_INVALID_KEY', 'the public key does not belong to the private key');
  }
  assertValidity(notBefore, notAfter);
  if (commonName.length === 0 || commonName.length > MAX_COMMON_NAME_LENGTH) {
    throw new SignetError(
      'ERR_VALIDATION',
      `the certificate common name must be 1 to ${MAX_COMMON_NAME_LENGTH} characters`,
    );
  }
  const params = webCryptoParams(alg);
  const keys: webcrypto.CryptoKeyPair = {
    privateKey: keyPair.privateKey.toCryptoKey(params.key, false, ['sign']),
    publicKey: keyPair.publicKey.toCryptoKey(params.key, true, ['verify']),
  };
  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 16 random bytes with the top bit
  // clear (positive) and the next one set (no leading zero octet to strip).
  const serial = randomBytes(16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    // A structured name, not a string, so commas or `=` in the common name cannot inject RDNs.
    name: [{ CN: [commonName] }],
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    keys,
    signingAlgorithm: params.signing,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  return {
    der: Buffer.from(certificate.rawData).toString('base64'),
    notBefore: certificate.notBefore.getTime(),
    notAfter: certificate.notAfter.getTime(),
  };
}

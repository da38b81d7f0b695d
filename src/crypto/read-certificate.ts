import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import type { PublicJwk } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { MAX_RSA_MODULUS_BITS, MIN_RSA_MODULUS_BITS, describeKey } from './assert-key-fits-algorithm.ts';
import { toPublicJwk } from './to-public-jwk.ts';

/** What Signet needs from an uploaded X.509 certificate; public material only. */
export interface ReadCertificateResult {
  /** DER, standard base64 (as in `x5c`). */
  der: string;
  notBefore: number;
  notAfter: number;
  publicKey: KeyObject;
  publicJwk: PublicJwk;
}

const PEM = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;
const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

function toDer(input: Buffer | string): Buffer {
  const text = typeof input === 'string' ? input : input[0] === 0x30 ? undefined : input.toString('latin1');
  if (text === undefined) return input as Buffer;
  const pem = PEM.exec(text);
  if (pem) return Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64');
  if (BASE64.test(text)) return Buffer.from(text.replace(/\s+/g, ''), 'base64');
  throw new SignetError('ERR_INVALID_KEY', 'the certificate is neither DER, base64 DER nor PEM');
}

/**
 * Parses an X.509 certificate given as DER bytes, base64 DER (as in `x5c`) or PEM, and checks that
 * it certifies a key Signet can publish: RSA of 2048 to 8192 bits, or EC on P-256, P-384 or P-521.
 */
export function readCertificate(input: Buffer | string): ReadCertificateResult {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(toDer(input));
  } catch (error) {
    if (error instanceof SignetError) throw error;
    throw new SignetError('ERR_INVALID_KEY', 'the certificate is not a valid X.509 certificate');
  }
  const publicKey = certificate.publicKey;
  const type = publicKey.asymmetricKeyType;
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (type === 'rsa' && (bits < MIN_RSA_MODULUS_BITS || bits > MAX_RSA_MODULUS_BITS)) {
    throw new SignetError(
      'ERR_INVALID_KEY',
      `the certificate's RSA key must have ${MIN_RSA_MODULUS_BITS} to ${MAX_RSA_MODULUS_BITS} bits, got ${bits}`,
    );
  }
  if (type !== 'rsa' && type !== 'ec') {
    throw new SignetError(
      'ERR_INVALID_KEY',
      `the certificate's key must be RSA or EC (P-256, P-384, P-521), got ${describeKey(publicKey)}`,
    );
  }
  // toPublicJwk refuses any other curve.
  const publicJwk = toPublicJwk(publicKey);
  return {
    der: certificate.raw.toString('base64'),
    notBefore: certificate.validFromDate.getTime(),
    notAfter: certificate.validToDate.getTime(),
    publicKey,
    publicJwk,
  };
}

/** True when `publicKey` is the public half of `privateKey` (same SubjectPublicKeyInfo). */
export function isKeyOf(publicKey: KeyObject, privateKey: KeyObject): boolean {
  const expected = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return expected.equals(publicKey.export({ format: 'der', type: 'spki' }));
}

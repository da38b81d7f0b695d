import { createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { algorithmSpec } from './algorithms.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import type { KeyPair } from './generate-key-pair.ts';
import { keyObjectSigner } from './key-object-signer.ts';
import { x509 } from './x509.ts';

/** A self-signed certificate and the validity it actually carries. */
export interface CertificateResult {
  /** Standard base64 of the DER, as in `x5c` (RFC 7517 §4.7). */
  der: string;
  /** Epoch ms, truncated to whole seconds as X.509 times are (RFC 5280 §4.1.2.5). */
  notBefore: number;
  notAfter: number;
}

/**
 * A key that signs without handing out its private half (a custody's key pair): the certificate's
 * TBS bytes are signed through `sign`, in the WebCrypto signature form (ECDSA as R || S).
 */
export interface CertificateSigningKey {
  publicKey: KeyObject;
  sign: (alg: Algorithm, data: Buffer) => Promise<Buffer>;
}

export interface CreateCertificateOptions {
  keyPair: KeyPair | CertificateSigningKey;
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

/** The JWS algorithm whose signature a certificate of an `alg` key carries (PS* keys sign theirs with PKCS#1 v1.5). */
function certificateAlgorithm(alg: Algorithm): Algorithm {
  const spec = algorithmSpec(alg);
  if (spec.kty !== 'RSA') return alg;
  return spec.hash === 'sha256' ? 'RS256' : spec.hash === 'sha384' ? 'RS384' : 'RS512';
}

/** A KeyObject pair as a signing key, after checking that its halves belong together. */
function keyObjectSigningKey(keyPair: KeyPair, alg: Algorithm): CertificateSigningKey {
  assertKeyFitsAlgorithm(keyPair.privateKey, alg);
  // The certificate must certify the key that signs it; a mixed-up pair would publish a foreign key.
  const spki = createPublicKey(keyPair.privateKey).export({ format: 'der', type: 'spki' });
  if (keyPair.publicKey.type !== 'public' || !spki.equals(keyPair.publicKey.export({ format: 'der', type: 'spki' }))) {
    throw new SignetError('ERR_INVALID_KEY', 'the public key does not belong to the private key');
  }
  const { privateKey } = keyPair;
  return { publicKey: keyPair.publicKey, sign: (signAlg, data) => keyObjectSigner(signAlg, privateKey)(data) };
}

/**
 * Issues a self-signed X.509 certificate for a signing key (key usage digitalSignature, not a CA),
 * signing its TBS bytes through the key's own signer, so a key on a token signs its certificate there.
 */
export async function createCertificate(options: CreateCertificateOptions): Promise<CertificateResult> {
  const { alg, commonName, notBefore, notAfter } = options;
  const signingKey = 'privateKey' in options.keyPair ? keyObjectSigningKey(options.keyPair, alg) : options.keyPair;
  assertKeyFitsAlgorithm(signingKey.publicKey, alg);
  assertValidity(notBefore, notAfter);
  if (commonName.length === 0 || commonName.length > MAX_COMMON_NAME_LENGTH) {
    throw new SignetError(
      'ERR_VALIDATION',
      `the certificate common name must be 1 to ${MAX_COMMON_NAME_LENGTH} characters`,
    );
  }
  const params = webCryptoParams(alg);
  const signAlg = certificateAlgorithm(alg);
  // @peculiar/x509 hands the TBS bytes to `crypto.subtle.sign`; this provider routes them to the key's signer.
  const provider = {
    getRandomValues: <T extends ArrayBufferView>(array: T): T => webcrypto.getRandomValues(array as never) as T,
    subtle: {
      sign: async (_algorithm: unknown, _key: unknown, data: ArrayBuffer | ArrayBufferView) =>
        new Uint8Array(
          await signingKey.sign(
            signAlg,
            Buffer.from(
              ArrayBuffer.isView(data) ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data,
            ),
          ),
        ).buffer,
    },
  } as unknown as webcrypto.Crypto;
  const keyAlgorithm = { ...params.key, ...('hash' in params.key ? { hash: { name: params.key.hash } } : {}) };
  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 16 random bytes with the top bit
  // clear (positive) and the next one set (no leading zero octet to strip).
  const serial = randomBytes(16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40;
  // A structured name, not a string, so commas or `=` in the common name cannot inject RDNs.
  const name = [{ CN: [commonName] }];
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial.toString('hex'),
      subject: name,
      issuer: name,
      notBefore: new Date(notBefore),
      notAfter: new Date(notAfter),
      publicKey: signingKey.publicKey.export({ format: 'der', type: 'spki' }),
      signingKey: { algorithm: keyAlgorithm } as unknown as webcrypto.CryptoKey,
      signingAlgorithm: params.signing,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    },
    provider,
  );
  return {
    der: Buffer.from(certificate.rawData).toString('base64'),
    notBefore: certificate.notBefore.getTime(),
    notAfter: certificate.notAfter.getTime(),
  };
}

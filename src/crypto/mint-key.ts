import { X509Certificate } from 'node:crypto';
import type { Algorithm, CertificateIssuer, Key, KeyOrigin } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import { certificateTimes } from './certificate-times.ts';
import { computeKid } from './compute-kid.ts';
import { createCertificate, type CertificateResult } from './create-certificate.ts';
import type { Sealer } from './create-sealer.ts';
import { defaultCommonName } from './default-common-name.ts';
import type { KeyPair } from './generate-key-pair.ts';
import { privateKeyAad } from './private-key-aad.ts';
import { isKeyOf, readCertificate } from './read-certificate.ts';
import { toPublicJwk } from './to-public-jwk.ts';

export interface MintKeyOptions {
  keySetId: string;
  alg: Algorithm;
  keyPair: KeyPair;
  sealer: Sealer;
  now: number;
  state: 'next' | 'active';
  origin: KeyOrigin;
  certificateValiditySeconds: number;
  tokenLifetimeCeilingSeconds: number;
  commonName?: string;
  /**
   * The kid to publish instead of the RFC 7638 thumbprint: only for an imported key that already
   * has a kid, so tokens its previous provider signed keep matching the JWKS.
   */
  kid?: string;
  /**
   * A certificate for the key issued elsewhere (a CA's answer to a CSR, or a cloned key's), used
   * instead of a fresh self-signed one; it must certify the key pair's public key.
   */
  certificate?: CertificateResult;
  /** Who issued `certificate`: `external` (a CA) unless said otherwise (a clone of a self-signed key's). */
  certificateIssuer?: CertificateIssuer;
  /**
   * The self-signed certificate the key pool signed ahead for this key pair (common name from the
   * pair's thumbprint kid, validity `certificateValiditySeconds` from a moment shortly before `now`),
   * used instead of signing one here; ignored when a kid or common name is given.
   */
  preparedCertificate?: CertificateResult;
}

/** Builds the complete domain record of a new key: public JWK, kid, sealed private key and certificate. */
export async function mintKey(options: MintKeyOptions): Promise<Key> {
  const { keySetId, alg, keyPair, sealer, now, state } = options;
  assertKeyFitsAlgorithm(keyPair.privateKey, alg);
  // The public JWK comes from the private key, so a mismatched pair cannot publish a foreign key.
  const publicJwk = toPublicJwk(keyPair.privateKey);
  const kid = options.kid ?? (await computeKid(publicJwk));
  const prepared =
    options.kid === undefined && options.commonName === undefined ? options.preparedCertificate : undefined;
  if (prepared && !isKeyOf(new X509Certificate(Buffer.from(prepared.der, 'base64')).publicKey, keyPair.privateKey)) {
    throw new SignetError('ERR_INTERNAL', 'the prepared certificate does not certify this key');
  }
  const certificate =
    options.certificate ??
    prepared ??
    (await createCertificate({
      keyPair,
      alg,
      commonName: options.commonName ?? defaultCommonName(kid),
      ...certificateTimes(now, options.certificateValiditySeconds),
    }));
  if (options.certificate && !isKeyOf(readCertificate(options.certificate.der).publicKey, keyPair.privateKey)) {
    throw new SignetError('ERR_INVALID_KEY', 'the certificate does not certify this key');
  }
  return {
    keySetId,
    kid,
    alg,
    state,
    origin: options.origin,
    publicJwk,
    sealedPrivateKey: sealer.seal(keyPair.privateKey, privateKeyAad(keySetId, kid)),
    certificateDer: certificate.der,
    certificateIssuer: options.certificate ? (options.certificateIssuer ?? 'external') : 'signet',
    certificateNotBefore: certificate.notBefore,
    certificateNotAfter: certificate.notAfter,
    createdAt: now,
    publishedAt: now,
    activatedAt: state === 'active' ? now : null,
    drainingSince: null,
    retireAt: null,
    retiredAt: null,
    revokedAt: null,
    tokenLifetimeCeilingSeconds: options.tokenLifetimeCeilingSeconds,
  };
}

import { X509Certificate } from 'node:crypto';
import type { Algorithm, CertificateIssuer, Key, KeyOrigin } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { assertKeyFitsAlgorithm } from './assert-key-fits-algorithm.ts';
import { certificateTimes } from './certificate-times.ts';
import { computeKid } from './compute-kid.ts';
import { createCertificate, type CertificateResult } from './create-certificate.ts';
import { createSealedCustody } from '../custody/create-sealed-custody.ts';
import type { CustodyKeyPair } from '../custody/key-custody.ts';
import type { Sealer } from './create-sealer.ts';
import type { KeyPair } from './generate-key-pair.ts';
import { defaultCommonName } from './default-common-name.ts';
import { readCertificate } from './read-certificate.ts';
import { toPublicJwk } from './to-public-jwk.ts';

export interface MintKeyOptions {
  keySetId: string;
  alg: Algorithm;
  /**
   * The key pair as its custody holds it, bound to the new row once the kid is known; or an
   * in-memory pair with the `sealer` that seals it (custody `sealed`).
   */
  keyPair: CustodyKeyPair | KeyPair;
  sealer?: Sealer;
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

async function inMemory(pair: KeyPair, sealer: Sealer | undefined): Promise<CustodyKeyPair> {
  if (sealer === undefined)
    throw new SignetError('ERR_INTERNAL', 'an in-memory key pair needs the sealer that seals it');
  const held = await createSealedCustody({ sealer }).importPrivateKey(pair.privateKey);
  // The public JWK comes from the private key, so a mismatched pair cannot publish a foreign key.
  if (!held.publicKey.equals(pair.publicKey)) {
    throw new SignetError('ERR_INVALID_KEY', 'the public key does not belong to the private key');
  }
  return held;
}

/**
 * Builds the complete domain record of a new key: public JWK, kid, certificate, and where its
 * private half is held (sealed for its row, or the token object it lives in).
 */
export async function mintKey(options: MintKeyOptions): Promise<Key> {
  const { keySetId, alg, now, state } = options;
  const keyPair = 'bind' in options.keyPair ? options.keyPair : await inMemory(options.keyPair, options.sealer);
  assertKeyFitsAlgorithm(keyPair.publicKey, alg);
  // The custody derives the public key from the private half it holds, so a mismatched pair cannot publish a foreign key.
  const publicJwk = toPublicJwk(keyPair.publicKey);
  const kid = options.kid ?? (await computeKid(publicJwk));
  const prepared =
    options.kid === undefined && options.commonName === undefined ? options.preparedCertificate : undefined;
  if (prepared && !new X509Certificate(Buffer.from(prepared.der, 'base64')).publicKey.equals(keyPair.publicKey)) {
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
  if (options.certificate && !readCertificate(options.certificate.der).publicKey.equals(keyPair.publicKey)) {
    throw new SignetError('ERR_INVALID_KEY', 'the certificate does not certify this key');
  }
  const held = await keyPair.bind(keySetId, kid);
  return {
    keySetId,
    kid,
    alg,
    state,
    origin: options.origin,
    publicJwk,
    sealedPrivateKey: held.sealedPrivateKey,
    tokenObjectId: held.tokenObjectId,
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

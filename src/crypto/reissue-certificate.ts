import type { Key } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { certificateTimes } from './certificate-times.ts';
import { computeKid } from './compute-kid.ts';
import { createCertificate } from './create-certificate.ts';
import { custodyRef } from '../custody/create-custodies.ts';
import type { KeyCustody } from '../custody/key-custody.ts';
import { defaultCommonName } from './default-common-name.ts';
import { toPublicJwk } from './to-public-jwk.ts';
import { x509 } from './x509.ts';

export interface ReissueCertificateOptions {
  key: Key;
  /** The custody holding the key: the certificate is signed where the private key lives. */
  custody: KeyCustody;
  now: number;
  certificateValiditySeconds: number;
}

function currentCommonName(certificateDer: string): string | undefined {
  try {
    return new x509.X509Certificate(Buffer.from(certificateDer, 'base64')).subjectName.getField('CN')[0];
  } catch {
    return undefined;
  }
}

/** Issues a fresh self-signed certificate for an existing key (docs/spec.md §3 "certificates follow keys"); the kid is unchanged. */
export async function reissueCertificate(
  options: ReissueCertificateOptions,
): Promise<Pick<Key, 'certificateDer' | 'certificateIssuer' | 'certificateNotBefore' | 'certificateNotAfter'>> {
  const { key, custody, now } = options;
  const ref = custodyRef(key);
  const publicKey = await custody.readPublicKey(ref);
  // The certificate must certify the very key published under the kid (RFC 7517 §4.7: x5c matches the JWK).
  if ((await computeKid(toPublicJwk(publicKey))) !== (await computeKid(key.publicJwk))) {
    throw new SignetError('ERR_INTERNAL', `the private key held for ${key.kid} does not match its kid`);
  }
  const certificate = await createCertificate({
    keyPair: { publicKey, sign: custody.open(ref) },
    alg: key.alg,
    // Keep the subject an operator may have chosen at import.
    commonName: currentCommonName(key.certificateDer) ?? defaultCommonName(key.kid),
    ...certificateTimes(now, options.certificateValiditySeconds),
  });
  return {
    certificateDer: certificate.der,
    certificateIssuer: 'signet',
    certificateNotBefore: certificate.notBefore,
    certificateNotAfter: certificate.notAfter,
  };
}

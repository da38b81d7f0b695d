import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { webCryptoParams } from './create-certificate.ts';
import type { KeyPair } from './generate-key-pair.ts';
import { x509 } from './x509.ts';

/** The subject of a CSR, by the X.520 attribute names Okta's CsrMetadata uses. */
export interface CsrSubject {
  commonName?: string;
  countryName?: string;
  localityName?: string;
  organizationalUnitName?: string;
  organizationName?: string;
  stateOrProvinceName?: string;
}

export interface CreateCsrOptions {
  keyPair: KeyPair;
  alg: Algorithm;
  subject: CsrSubject;
  dnsNames: readonly string[];
}

// X.520 upper bounds (RFC 5280 Appendix A.1); countryName is a two-letter ISO 3166 code.
const ATTRIBUTES: readonly { field: keyof CsrSubject; type: string; max: number }[] = [
  { field: 'countryName', type: 'C', max: 2 },
  { field: 'stateOrProvinceName', type: 'ST', max: 128 },
  { field: 'localityName', type: 'L', max: 128 },
  { field: 'organizationName', type: 'O', max: 64 },
  { field: 'organizationalUnitName', type: 'OU', max: 64 },
  { field: 'commonName', type: 'CN', max: 64 },
];
const DNS_NAME =
  /^(?=.{1,253}$)(\*\.)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Creates a PKCS#10 certificate signing request (RFC 2986) signed by the key pair; returns its DER, standard base64. */
export async function createCsr({ keyPair, alg, subject, dnsNames }: CreateCsrOptions): Promise<string> {
  const name: Record<string, string[]>[] = [];
  for (const { field, type, max } of ATTRIBUTES) {
    const value = subject[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      throw new SignetError('ERR_VALIDATION', `subject.${field} must be 1 to ${max} characters`, {
        fields: [`subject.${field}`],
      });
    }
    name.push({ [type]: [value] });
  }
  if (name.length === 0)
    throw new SignetError('ERR_VALIDATION', 'the CSR subject needs at least one attribute', { fields: ['subject'] });
  for (const dnsName of dnsNames) {
    if (typeof dnsName !== 'string' || !DNS_NAME.test(dnsName)) {
      throw new SignetError(
        'ERR_VALIDATION',
        `subjectAltNames.dnsNames has an invalid DNS name ${JSON.stringify(dnsName)}`,
        { fields: ['subjectAltNames.dnsNames'] },
      );
    }
  }
  const params = webCryptoParams(alg);
  const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)];
  if (dnsNames.length > 0)
    extensions.push(
      new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))),
    );
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    // A structured name, so commas or `=` in a value cannot inject RDNs.
    name,
    keys: {
      privateKey: keyPair.privateKey.toCryptoKey(params.key, false, ['sign']),
      publicKey: keyPair.publicKey.toCryptoKey(params.key, true, ['verify']),
    },
    signingAlgorithm: params.signing,
    extensions,
  });
  return Buffer.from(csr.rawData).toString('base64');
}

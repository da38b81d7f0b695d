import {
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  EncapsulatedContentInfo,
  SignedData,
  id_data,
  id_signedData,
} from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';

/**
 * A degenerate "certificates-only" PKCS#7 / CMS SignedData (RFC 5652 §5.2, RFC 2315 §9.1) holding
 * the given base64 DER certificates: no signers, no digest algorithms, content type id-data with
 * the content omitted, as the RFC requires when there are no signers. Returns DER.
 */
export function certificatesOnlyPkcs7(certificatesDerBase64: readonly string[]): Buffer {
  const signedData = new SignedData({
    version: 1,
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
    certificates: new CertificateSet(
      certificatesDerBase64.map(
        (der) =>
          new CertificateChoices({
            certificate: AsnConvert.parse(Buffer.from(der, 'base64'), Certificate),
          }),
      ),
    ),
  });
  const contentInfo = new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) });
  return Buffer.from(AsnConvert.serialize(contentInfo));
}

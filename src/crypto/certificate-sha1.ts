import { createHash } from 'node:crypto';

/** SHA-1 of a certificate's DER, as Auth0 shows it: `fingerprint` colon-separated, `thumbprint` plain, both uppercase hex. */
export function certificateSha1(derBase64: string): { fingerprint: string; thumbprint: string } {
  // SHA-1 identifies the certificate here (Auth0's and x5t's definition); it protects nothing.
  const thumbprint = createHash('sha1').update(Buffer.from(derBase64, 'base64')).digest('hex').toUpperCase();
  return { fingerprint: thumbprint.match(/../g)!.join(':'), thumbprint };
}

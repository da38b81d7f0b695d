import { createHash } from 'node:crypto';
import { SignetError } from '../errors.ts';

/** The `x5t` (SHA-1, RFC 7517 §4.8) and `x5t#S256` (SHA-256, §4.9) thumbprints of a base64 DER certificate. */
export function certificateThumbprints(derBase64: string): { x5t: string; x5tS256: string } {
  const der = Buffer.from(derBase64, 'base64');
  // A DER certificate is a SEQUENCE (0x30); anything else is a caller passing the wrong field.
  if (der.length === 0 || der[0] !== 0x30) {
    throw new SignetError('ERR_VALIDATION', 'the certificate is not base64 DER');
  }
  return {
    // SHA-1 is what x5t is defined as; it identifies, it does not protect anything.
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}

import { certificateSha1 } from '../../../crypto/certificate-sha1.ts';
import { certificatesOnlyPkcs7 } from '../../../crypto/certificates-only-pkcs7.ts';
import { toPem } from '../../../crypto/to-pem.ts';
import type { Key } from '../../../domain/types.ts';

/** Auth0's signing key object (`SigningKeys` / `GetSigningKeysResponseContent`), every documented field. */
export interface Auth0Key {
  kid: string;
  cert: string;
  pkcs7: string;
  current: boolean;
  next: boolean;
  previous: boolean;
  current_since?: string;
  current_until?: string;
  fingerprint: string;
  thumbprint: string;
  revoked: boolean;
  revoked_at?: string;
}

/** The certificate of a key as Auth0 serves it: PEM with CRLF line ends. */
export function auth0CertificatePem(key: Pick<Key, 'certificateDer'>): string {
  return toPem('CERTIFICATE', Buffer.from(key.certificateDer, 'base64'), '\r\n');
}

/**
 * The Auth0 view of a key: `current` is active, `next` is next, `previous` any key that was rotated
 * out (draining, or revoked after draining), `current_since`/`current_until` when it started and
 * stopped signing.
 */
export function toAuth0Key(key: Key): Auth0Key {
  const body: Auth0Key = {
    kid: key.kid,
    cert: auth0CertificatePem(key),
    pkcs7: toPem('PKCS7', certificatesOnlyPkcs7([key.certificateDer]), '\r\n'),
    current: key.state === 'active',
    next: key.state === 'next',
    previous: key.drainingSince !== null && (key.state === 'draining' || key.state === 'revoked'),
    ...certificateSha1(key.certificateDer),
    revoked: key.state === 'revoked',
  };
  if (key.activatedAt !== null) body.current_since = new Date(key.activatedAt).toISOString();
  if (key.drainingSince !== null) body.current_until = new Date(key.drainingSince).toISOString();
  if (key.revokedAt !== null) body.revoked_at = new Date(key.revokedAt).toISOString();
  return body;
}

/**
 * Keys record who issued their certificate: `signet` (self-signed, renewed by the scheduler) or
 * `external` (a CA's answer to a CSR, never replaced). Existing keys all hold Signet's self-signed
 * certificates, hence the default. The issuer is fixed when the key is written: Signet only ever
 * replaces a certificate it issued with another it issues, so a change can only be a bug.
 */
export const id = '2026-11-22-certificate-issuer';

export const sql = `
ALTER TABLE keys ADD COLUMN certificate_issuer TEXT NOT NULL DEFAULT 'signet'
  CHECK (certificate_issuer IN ('signet', 'external'));

CREATE TRIGGER keys_certificate_issuer_immutable
BEFORE UPDATE OF certificate_issuer ON keys
WHEN NEW.certificate_issuer IS NOT OLD.certificate_issuer
BEGIN
  SELECT RAISE(ABORT, 'signet:immutable_key_column');
END;
`;

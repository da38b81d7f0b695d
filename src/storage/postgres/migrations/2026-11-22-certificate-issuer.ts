/**
 * Keys record who issued their certificate: the PostgreSQL transcription of SQLite's migration of
 * the same id (`signet` by default, since every existing key holds a self-signed certificate;
 * fixed once written).
 */
export const id = '2026-11-22-certificate-issuer';

export const sql = `
ALTER TABLE keys ADD COLUMN certificate_issuer TEXT NOT NULL DEFAULT 'signet'
  CHECK (certificate_issuer IN ('signet', 'external'));

CREATE TRIGGER keys_certificate_issuer_immutable BEFORE UPDATE ON keys
FOR EACH ROW WHEN (NEW.certificate_issuer IS DISTINCT FROM OLD.certificate_issuer)
EXECUTE FUNCTION signet_refuse('signet:immutable_key_column');
`;

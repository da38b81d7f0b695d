/**
 * Key custody: the PostgreSQL transcription of SQLite's migration of the same id (a key set's
 * custody fixed at creation; a `pkcs11` key stores its token object's CKA_ID and an empty
 * `sealed_private_key`; a sealed envelope may be replaced only by another one, for master-key rotation).
 */
export const id = '2026-12-02-key-custody';

export const sql = `
ALTER TABLE key_sets ADD COLUMN custody TEXT NOT NULL DEFAULT 'sealed' CHECK (custody IN ('sealed', 'pkcs11'));

CREATE TRIGGER key_sets_custody_immutable BEFORE UPDATE ON key_sets
FOR EACH ROW WHEN (NEW.custody IS DISTINCT FROM OLD.custody)
EXECUTE FUNCTION signet_refuse('signet:immutable_key_column');

ALTER TABLE keys ADD COLUMN token_object_id TEXT CHECK (token_object_id IS NULL OR length(token_object_id) > 0);

CREATE FUNCTION signet_keys_custody_matches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.token_object_id IS NULL) IS DISTINCT FROM
     ((SELECT custody FROM key_sets WHERE id = NEW.key_set_id) = 'sealed')
     OR (NEW.sealed_private_key = '') IS DISTINCT FROM (NEW.token_object_id IS NOT NULL)
     OR (NEW.token_object_id IS NULL AND NEW.sealed_private_key NOT LIKE 'sgk1.%') THEN
    RAISE EXCEPTION 'signet:key_custody_mismatch';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER keys_custody_matches BEFORE INSERT ON keys
FOR EACH ROW EXECUTE FUNCTION signet_keys_custody_matches();

DROP TRIGGER keys_immutable_columns ON keys;
CREATE TRIGGER keys_immutable_columns BEFORE UPDATE ON keys
FOR EACH ROW WHEN (
  NEW.key_set_id IS DISTINCT FROM OLD.key_set_id OR NEW.kid IS DISTINCT FROM OLD.kid
  OR NEW.alg IS DISTINCT FROM OLD.alg OR NEW.public_jwk IS DISTINCT FROM OLD.public_jwk
  OR NEW.token_object_id IS DISTINCT FROM OLD.token_object_id
  OR (NEW.sealed_private_key IS DISTINCT FROM OLD.sealed_private_key
      AND NOT (OLD.sealed_private_key LIKE 'sgk1.%' AND NEW.sealed_private_key LIKE 'sgk1.%'))
)
EXECUTE FUNCTION signet_refuse('signet:immutable_key_column');
`;

/**
 * Key custody (docs/spec.md §7): a key set keeps its private keys `sealed` in the database (every
 * existing key set, hence the default) or on a PKCS#11 token (`pkcs11`), fixed at creation. A
 * `pkcs11` key stores the token object's CKA_ID and an empty `sealed_private_key`: the column keeps
 * its NOT NULL, and the triggers below hold "exactly one of the two, matching the key set".
 * `sealed_private_key` may now change, from one sealed envelope to another only (master-key
 * rotation re-seals under a newer master key; a key never moves between custodies).
 */
export const id = '2026-12-02-key-custody';

export const sql = `
ALTER TABLE key_sets ADD COLUMN custody TEXT NOT NULL DEFAULT 'sealed' CHECK (custody IN ('sealed', 'pkcs11'));

CREATE TRIGGER key_sets_custody_immutable BEFORE UPDATE OF custody ON key_sets
WHEN NEW.custody IS NOT OLD.custody
BEGIN
  SELECT RAISE(ABORT, 'signet:immutable_key_column');
END;

ALTER TABLE keys ADD COLUMN token_object_id TEXT CHECK (token_object_id IS NULL OR length(token_object_id) > 0);

CREATE TRIGGER keys_custody_matches BEFORE INSERT ON keys
WHEN (NEW.token_object_id IS NULL) IS NOT ((SELECT custody FROM key_sets WHERE id = NEW.key_set_id) = 'sealed')
  OR (NEW.sealed_private_key = '') IS NOT (NEW.token_object_id IS NOT NULL)
  OR (NEW.token_object_id IS NULL AND NEW.sealed_private_key NOT LIKE 'sgk1.%')
BEGIN
  SELECT RAISE(ABORT, 'signet:key_custody_mismatch');
END;

DROP TRIGGER keys_immutable_columns;
CREATE TRIGGER keys_immutable_columns
BEFORE UPDATE OF key_set_id, kid, alg, public_jwk, sealed_private_key, token_object_id ON keys
WHEN NEW.key_set_id IS NOT OLD.key_set_id OR NEW.kid IS NOT OLD.kid OR NEW.alg IS NOT OLD.alg
  OR NEW.public_jwk IS NOT OLD.public_jwk OR NEW.token_object_id IS NOT OLD.token_object_id
  OR (NEW.sealed_private_key IS NOT OLD.sealed_private_key
      AND NOT (OLD.sealed_private_key LIKE 'sgk1.%' AND NEW.sealed_private_key LIKE 'sgk1.%'))
BEGIN
  SELECT RAISE(ABORT, 'signet:immutable_key_column');
END;
`;

/**
 * The initial schema, the PostgreSQL twin of `../../sqlite/migrations/2026-11-21-initial.ts`.
 * Invariants I1, I2 and I5 (docs/spec.md §2) live here, not in code paths: partial unique indexes allow one
 * active and one next key per key set, triggers allow only the lifecycle edges, keep a key's
 * identity and material fixed, and make keys and audit events undeletable (TRUNCATE included).
 *
 * Timestamps are BIGINT epoch ms. Identifiers use the "C" collation so lists sort byte-wise, as
 * they do on SQLite, whatever the database's default collation. JSON is JSONB, which refuses
 * malformed documents as SQLite's json_valid checks do.
 */
export const id = '2026-11-21-initial';

export const sql = `
CREATE TABLE tenants (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  display_name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Host names are case-insensitive (RFC 4343): the unique index on lower() makes the claim so, the
-- lookups compare lower() too, and the name is returned as it was written. lower() under "C" folds
-- ASCII only, like SQLite's NOCASE.
CREATE TABLE tenant_host_names (
  host_name TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants (id)
);
CREATE UNIQUE INDEX tenant_host_names_lower ON tenant_host_names (lower(host_name));
CREATE INDEX tenant_host_names_tenant ON tenant_host_names (tenant_id);

CREATE TABLE key_sets (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants (id),
  owner_type TEXT NOT NULL CHECK (owner_type IN ('authorizationServer', 'identityProvider')),
  owner_id TEXT COLLATE "C" NOT NULL,
  alg TEXT NOT NULL,
  rsa_modulus_length INTEGER,
  mode TEXT NOT NULL CHECK (mode IN ('AUTO', 'MANUAL')),
  rotation_period_seconds INTEGER NOT NULL,
  jwks_max_age_seconds INTEGER NOT NULL,
  clock_skew_seconds INTEGER NOT NULL,
  max_token_lifetime_seconds INTEGER NOT NULL,
  draining_period_seconds INTEGER NOT NULL,
  certificate_validity_seconds INTEGER NOT NULL,
  certificate_renew_before_seconds INTEGER NOT NULL,
  jwks_cache_horizon_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX key_sets_owner ON key_sets (tenant_id, owner_type, owner_id);

CREATE TABLE authorization_servers (
  tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants (id),
  id TEXT COLLATE "C" NOT NULL,
  name TEXT NOT NULL,
  audiences JSONB NOT NULL,
  access_token_lifetime_seconds INTEGER NOT NULL,
  signing_key_set_id TEXT COLLATE "C" REFERENCES key_sets (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE keys (
  key_set_id TEXT COLLATE "C" NOT NULL REFERENCES key_sets (id),
  kid TEXT COLLATE "C" NOT NULL,
  alg TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('next', 'active', 'draining', 'retired', 'revoked')),
  origin TEXT NOT NULL CHECK (origin IN ('generated', 'imported')),
  public_jwk JSONB NOT NULL,
  sealed_private_key TEXT NOT NULL,
  certificate_der TEXT NOT NULL,
  certificate_not_before BIGINT NOT NULL,
  certificate_not_after BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  published_at BIGINT NOT NULL,
  activated_at BIGINT,
  draining_since BIGINT,
  retire_at BIGINT,
  retired_at BIGINT,
  revoked_at BIGINT,
  token_lifetime_ceiling_seconds INTEGER NOT NULL,
  PRIMARY KEY (key_set_id, kid)
);

-- I1 and I2: at most one active and at most one next key per key set. map-postgres-error.ts knows
-- these names.
CREATE UNIQUE INDEX keys_one_active ON keys (key_set_id) WHERE state = 'active';
CREATE UNIQUE INDEX keys_one_next ON keys (key_set_id) WHERE state = 'next';

-- I5: only the edges of docs/spec.md §2. The message carries both states for map-postgres-error.ts.
CREATE FUNCTION signet_keys_state_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (
    (OLD.state = 'next' AND NEW.state IN ('active', 'revoked'))
    OR (OLD.state = 'active' AND NEW.state = 'draining')
    OR (OLD.state = 'draining' AND NEW.state IN ('retired', 'revoked'))
  ) THEN
    RAISE EXCEPTION 'signet:invalid_transition:%:%', OLD.state, NEW.state USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER keys_state_transition BEFORE UPDATE OF state ON keys
FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state)
EXECUTE FUNCTION signet_keys_state_transition();

-- Refuses the statement whatever it is; the message is the trigger's first argument.
CREATE FUNCTION signet_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'check_violation';
END;
$$;

-- A kid is a thumbprint of its public key, so a key's identity and material can never change.
CREATE TRIGGER keys_immutable_columns BEFORE UPDATE ON keys
FOR EACH ROW WHEN (
  NEW.key_set_id IS DISTINCT FROM OLD.key_set_id OR NEW.kid IS DISTINCT FROM OLD.kid
  OR NEW.alg IS DISTINCT FROM OLD.alg OR NEW.public_jwk IS DISTINCT FROM OLD.public_jwk
  OR NEW.sealed_private_key IS DISTINCT FROM OLD.sealed_private_key
)
EXECUTE FUNCTION signet_refuse('signet:immutable_key_column');

-- Retired and revoked keys stay as the record of what once signed tokens.
CREATE TRIGGER keys_never_deleted BEFORE DELETE ON keys
FOR EACH ROW EXECUTE FUNCTION signet_refuse('signet:keys_are_never_deleted');
CREATE TRIGGER keys_never_truncated BEFORE TRUNCATE ON keys
FOR EACH STATEMENT EXECUTE FUNCTION signet_refuse('signet:keys_are_never_deleted');

CREATE TABLE api_clients (
  client_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes JSONB NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX api_clients_tenant ON api_clients (tenant_id);

CREATE TABLE api_tokens (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes JSONB NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_tenant ON api_tokens (tenant_id);

-- An identity column never reuses an id, so it stays a stable page cursor.
CREATE TABLE audit_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_tenant_id TEXT,
  action TEXT NOT NULL,
  key_set_id TEXT COLLATE "C",
  kid TEXT COLLATE "C",
  from_state TEXT,
  to_state TEXT,
  operation TEXT,
  source_ip TEXT,
  request_id TEXT,
  details JSONB NOT NULL
);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);
CREATE INDEX audit_events_key_set ON audit_events (key_set_id, id);
CREATE INDEX audit_events_kid ON audit_events (kid, id);
CREATE INDEX audit_events_action ON audit_events (tenant_id, action, id);
CREATE INDEX audit_events_at ON audit_events (tenant_id, at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
FOR EACH ROW EXECUTE FUNCTION signet_refuse('signet:audit_events_are_append_only');
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION signet_refuse('signet:audit_events_are_append_only');
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION signet_refuse('signet:audit_events_are_append_only');

CREATE TABLE meta (
  name TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
`;

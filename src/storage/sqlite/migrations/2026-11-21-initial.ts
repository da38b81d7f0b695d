/**
 * The initial schema. Invariants I1, I2 and I5 (docs/spec.md §2) live here, not in code paths: partial
 * unique indexes allow one active and one next key per key set, triggers allow only the lifecycle
 * edges, keep a key's identity and material fixed, and make keys and audit events undeletable.
 * Tables are STRICT so a mapping bug cannot store text in an INTEGER column unnoticed.
 */
export const id = '2026-11-21-initial';

export const sql = `
CREATE TABLE tenants (
  id TEXT NOT NULL PRIMARY KEY,
  display_name TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Host names are case-insensitive (RFC 4343): NOCASE makes both the claim and the lookup so,
-- while the name is returned as it was written.
CREATE TABLE tenant_host_names (
  host_name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id)
) STRICT;
CREATE INDEX tenant_host_names_tenant ON tenant_host_names (tenant_id);

CREATE TABLE key_sets (
  id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  owner_type TEXT NOT NULL CHECK (owner_type IN ('authorizationServer', 'identityProvider')),
  owner_id TEXT NOT NULL,
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
  jwks_cache_horizon_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX key_sets_owner ON key_sets (tenant_id, owner_type, owner_id);

CREATE TABLE authorization_servers (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  audiences TEXT NOT NULL CHECK (json_valid(audiences)),
  access_token_lifetime_seconds INTEGER NOT NULL,
  signing_key_set_id TEXT REFERENCES key_sets (id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE keys (
  key_set_id TEXT NOT NULL REFERENCES key_sets (id),
  kid TEXT NOT NULL,
  alg TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('next', 'active', 'draining', 'retired', 'revoked')),
  origin TEXT NOT NULL CHECK (origin IN ('generated', 'imported')),
  public_jwk TEXT NOT NULL CHECK (json_valid(public_jwk)),
  sealed_private_key TEXT NOT NULL,
  certificate_der TEXT NOT NULL,
  certificate_not_before INTEGER NOT NULL,
  certificate_not_after INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  activated_at INTEGER,
  draining_since INTEGER,
  retire_at INTEGER,
  retired_at INTEGER,
  revoked_at INTEGER,
  token_lifetime_ceiling_seconds INTEGER NOT NULL,
  PRIMARY KEY (key_set_id, kid)
) STRICT;

-- I1 and I2: at most one active and at most one next key per key set.
CREATE UNIQUE INDEX keys_one_active ON keys (key_set_id) WHERE state = 'active';
CREATE UNIQUE INDEX keys_one_next ON keys (key_set_id) WHERE state = 'next';

-- I5: only the edges of docs/spec.md §2. The message carries both states for map-sqlite-error.ts.
CREATE TRIGGER keys_state_transition BEFORE UPDATE OF state ON keys
WHEN NEW.state IS NOT OLD.state AND NOT (
  (OLD.state = 'next' AND NEW.state IN ('active', 'revoked'))
  OR (OLD.state = 'active' AND NEW.state = 'draining')
  OR (OLD.state = 'draining' AND NEW.state IN ('retired', 'revoked'))
)
BEGIN
  SELECT RAISE(ABORT, 'signet:invalid_transition:' || OLD.state || ':' || NEW.state);
END;

-- A kid is a thumbprint of its public key, so a key's identity and material can never change.
CREATE TRIGGER keys_immutable_columns
BEFORE UPDATE OF key_set_id, kid, alg, public_jwk, sealed_private_key ON keys
WHEN NEW.key_set_id IS NOT OLD.key_set_id OR NEW.kid IS NOT OLD.kid OR NEW.alg IS NOT OLD.alg
  OR NEW.public_jwk IS NOT OLD.public_jwk OR NEW.sealed_private_key IS NOT OLD.sealed_private_key
BEGIN
  SELECT RAISE(ABORT, 'signet:immutable_key_column');
END;

-- Retired and revoked keys stay as the record of what once signed tokens.
CREATE TRIGGER keys_never_deleted BEFORE DELETE ON keys
BEGIN
  SELECT RAISE(ABORT, 'signet:keys_are_never_deleted');
END;

CREATE TABLE api_clients (
  client_id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL CHECK (json_valid(scopes)),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX api_clients_tenant ON api_clients (tenant_id);

CREATE TABLE api_tokens (
  id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL CHECK (json_valid(scopes)),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX api_tokens_tenant ON api_tokens (tenant_id);

-- AUTOINCREMENT so an id is never reused and stays a stable page cursor.
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_tenant_id TEXT,
  action TEXT NOT NULL,
  key_set_id TEXT,
  kid TEXT,
  from_state TEXT,
  to_state TEXT,
  operation TEXT,
  source_ip TEXT,
  request_id TEXT,
  details TEXT NOT NULL CHECK (json_valid(details))
) STRICT;
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);
CREATE INDEX audit_events_key_set ON audit_events (key_set_id, id);
CREATE INDEX audit_events_kid ON audit_events (kid, id);
CREATE INDEX audit_events_action ON audit_events (tenant_id, action, id);
CREATE INDEX audit_events_at ON audit_events (tenant_id, at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'signet:audit_events_are_append_only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'signet:audit_events_are_append_only');
END;

CREATE TABLE meta (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

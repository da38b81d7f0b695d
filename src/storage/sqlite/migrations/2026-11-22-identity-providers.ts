/**
 * Identity providers, the tenant's key store of uploaded certificates, and IdP CSRs (docs/spec.md §1).
 * The invariants live in the schema: a key-store credential cannot be deleted while an identity
 * provider trusts it (foreign key, no cascade), an IdP name is unique per tenant, a CSR belongs
 * to an existing IdP, and a CSR's private key is only ever stored sealed (the column holds the
 * sealer's envelope, checked by its prefix). Plain SQL, so the PostgreSQL port is a transcription.
 */
export const id = '2026-11-22-identity-providers';

export const sql = `
CREATE TABLE key_store_credentials (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  kid TEXT NOT NULL,
  certificate_der TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, kid)
) STRICT;
CREATE INDEX key_store_credentials_page ON key_store_credentials (tenant_id, created_at, kid);

CREATE TABLE identity_providers (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
  protocol_type TEXT NOT NULL,
  settings TEXT NOT NULL CHECK (json_valid(settings)),
  trust_kid TEXT,
  signing_key_set_id TEXT REFERENCES key_sets (id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name),
  -- A trusted certificate stays in the key store while any IdP, active or not, uses it.
  FOREIGN KEY (tenant_id, trust_kid) REFERENCES key_store_credentials (tenant_id, kid)
) STRICT;
CREATE INDEX identity_providers_trust_kid ON identity_providers (tenant_id, trust_kid);

CREATE TABLE idp_csrs (
  id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  idp_id TEXT NOT NULL,
  csr_der TEXT NOT NULL,
  kty TEXT NOT NULL CHECK (kty IN ('RSA', 'EC')),
  alg TEXT NOT NULL,
  sealed_private_key TEXT NOT NULL CHECK (sealed_private_key LIKE 'sgk1.%'),
  created_at INTEGER NOT NULL,
  FOREIGN KEY (tenant_id, idp_id) REFERENCES identity_providers (tenant_id, id)
) STRICT;
CREATE INDEX idp_csrs_idp ON idp_csrs (tenant_id, idp_id, created_at, id);
`;

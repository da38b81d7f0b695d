/**
 * The row shapes shared by the SQLite and PostgreSQL schemas (same tables, same column names) and
 * their mapping to and from domain objects. Timestamps are epoch ms numbers, JSON arrives as text;
 * each `xxxParams` returns values named after their columns, so it doubles as the column list of
 * its INSERT.
 */
import type {
  Custody,
  Actor,
  Algorithm,
  OAuthClient,
  ApiToken,
  AuditAction,
  AuditEvent,
  AuthorizationServer,
  CertificateIssuer,
  IdentityProvider,
  IdentityProviderStatus,
  IdpCsr,
  Key,
  KeyOrigin,
  KeySet,
  KeySetOwnerType,
  KeyState,
  KeyStoreCredential,
  NewAuditEvent,
  PublicJwk,
  RotationMode,
  RsaModulusLength,
  Tenant,
} from '../domain/types.ts';

/** Column values by column name. */
export type Params = Record<string, string | number | null>;

export interface TenantRow {
  id: string;
  display_name: string;
  created_at: number;
}

/** Maps a tenants row and its host names to a Tenant. */
export function toTenant(row: TenantRow, hostNames: string[]): Tenant {
  return { id: row.id, displayName: row.display_name, hostNames, createdAt: row.created_at };
}

/** The tenants columns of a Tenant (host names live in tenant_host_names). */
export function tenantParams(tenant: Tenant): Params {
  return { id: tenant.id, display_name: tenant.displayName, created_at: tenant.createdAt };
}

export interface AuthorizationServerRow {
  tenant_id: string;
  id: string;
  name: string;
  audiences: string;
  access_token_lifetime_seconds: number;
  signing_key_set_id: string | null;
  external_issuer: string | null;
  created_at: number;
}

/** Maps an authorization_servers row to an AuthorizationServer. */
export function toAuthorizationServer(row: AuthorizationServerRow): AuthorizationServer {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    audiences: JSON.parse(row.audiences) as string[],
    accessTokenLifetimeSeconds: row.access_token_lifetime_seconds,
    signingKeySetId: row.signing_key_set_id,
    externalIssuer: row.external_issuer,
    createdAt: row.created_at,
  };
}

/** The authorization_servers columns of an AuthorizationServer. */
export function authorizationServerParams(server: AuthorizationServer): Params {
  return {
    tenant_id: server.tenantId,
    id: server.id,
    name: server.name,
    audiences: JSON.stringify(server.audiences),
    access_token_lifetime_seconds: server.accessTokenLifetimeSeconds,
    signing_key_set_id: server.signingKeySetId,
    external_issuer: server.externalIssuer,
    created_at: server.createdAt,
  };
}

export interface KeySetRow {
  id: string;
  tenant_id: string;
  owner_type: string;
  owner_id: string;
  alg: string;
  rsa_modulus_length: number | null;
  mode: string;
  rotation_period_seconds: number;
  jwks_max_age_seconds: number;
  clock_skew_seconds: number;
  max_token_lifetime_seconds: number;
  draining_period_seconds: number;
  certificate_validity_seconds: number;
  certificate_renew_before_seconds: number;
  jwks_cache_horizon_at: number | null;
  created_at: number;
  updated_at: number;
  custody: string;
}

/** Maps a key_sets row, whose policy is one column per field, to a KeySet. */
export function toKeySet(row: KeySetRow): KeySet {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ownerType: row.owner_type as KeySetOwnerType,
    ownerId: row.owner_id,
    alg: row.alg as Algorithm,
    rsaModulusLength: row.rsa_modulus_length as RsaModulusLength | null,
    custody: row.custody as Custody,
    policy: {
      mode: row.mode as RotationMode,
      rotationPeriodSeconds: row.rotation_period_seconds,
      jwksMaxAgeSeconds: row.jwks_max_age_seconds,
      clockSkewSeconds: row.clock_skew_seconds,
      maxTokenLifetimeSeconds: row.max_token_lifetime_seconds,
      drainingPeriodSeconds: row.draining_period_seconds,
      certificateValiditySeconds: row.certificate_validity_seconds,
      certificateRenewBeforeSeconds: row.certificate_renew_before_seconds,
    },
    jwksCacheHorizonAt: row.jwks_cache_horizon_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The key_sets columns of a KeySet. */
export function keySetParams(keySet: KeySet): Params {
  const { policy } = keySet;
  return {
    id: keySet.id,
    tenant_id: keySet.tenantId,
    owner_type: keySet.ownerType,
    owner_id: keySet.ownerId,
    alg: keySet.alg,
    rsa_modulus_length: keySet.rsaModulusLength,
    mode: policy.mode,
    rotation_period_seconds: policy.rotationPeriodSeconds,
    jwks_max_age_seconds: policy.jwksMaxAgeSeconds,
    clock_skew_seconds: policy.clockSkewSeconds,
    max_token_lifetime_seconds: policy.maxTokenLifetimeSeconds,
    draining_period_seconds: policy.drainingPeriodSeconds,
    certificate_validity_seconds: policy.certificateValiditySeconds,
    certificate_renew_before_seconds: policy.certificateRenewBeforeSeconds,
    jwks_cache_horizon_at: keySet.jwksCacheHorizonAt,
    created_at: keySet.createdAt,
    updated_at: keySet.updatedAt,
    custody: keySet.custody,
  };
}

export interface KeyRow {
  key_set_id: string;
  kid: string;
  alg: string;
  state: string;
  origin: string;
  public_jwk: string;
  /** Empty for a key on a PKCS#11 token (the column stays NOT NULL; migration 2026-12-02-key-custody). */
  sealed_private_key: string;
  token_object_id: string | null;
  certificate_der: string;
  certificate_issuer: string;
  certificate_not_before: number;
  certificate_not_after: number;
  created_at: number;
  published_at: number;
  activated_at: number | null;
  draining_since: number | null;
  retire_at: number | null;
  retired_at: number | null;
  revoked_at: number | null;
  token_lifetime_ceiling_seconds: number;
}

/** Maps a keys row to a Key. */
export function toKey(row: KeyRow): Key {
  return {
    keySetId: row.key_set_id,
    kid: row.kid,
    alg: row.alg as Algorithm,
    state: row.state as KeyState,
    origin: row.origin as KeyOrigin,
    publicJwk: JSON.parse(row.public_jwk) as PublicJwk,
    sealedPrivateKey: row.sealed_private_key === '' ? null : row.sealed_private_key,
    tokenObjectId: row.token_object_id,
    certificateDer: row.certificate_der,
    certificateIssuer: row.certificate_issuer as CertificateIssuer,
    certificateNotBefore: row.certificate_not_before,
    certificateNotAfter: row.certificate_not_after,
    createdAt: row.created_at,
    publishedAt: row.published_at,
    activatedAt: row.activated_at,
    drainingSince: row.draining_since,
    retireAt: row.retire_at,
    retiredAt: row.retired_at,
    revokedAt: row.revoked_at,
    tokenLifetimeCeilingSeconds: row.token_lifetime_ceiling_seconds,
  };
}

/** The keys columns of a Key. */
export function keyParams(key: Key): Params {
  return {
    key_set_id: key.keySetId,
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    origin: key.origin,
    public_jwk: JSON.stringify(key.publicJwk),
    sealed_private_key: key.sealedPrivateKey ?? '',
    token_object_id: key.tokenObjectId,
    certificate_der: key.certificateDer,
    certificate_issuer: key.certificateIssuer,
    certificate_not_before: key.certificateNotBefore,
    certificate_not_after: key.certificateNotAfter,
    created_at: key.createdAt,
    published_at: key.publishedAt,
    activated_at: key.activatedAt,
    draining_since: key.drainingSince,
    retire_at: key.retireAt,
    retired_at: key.retiredAt,
    revoked_at: key.revokedAt,
    token_lifetime_ceiling_seconds: key.tokenLifetimeCeilingSeconds,
  };
}

/** A credential's signing restriction column: a JSON array of server ids, NULL for every server. */
function parseServerIds(column: string | null): string[] | null {
  return column === null ? null : (JSON.parse(column) as string[]);
}

function serverIdsParam(ids: readonly string[] | null): string | null {
  return ids === null ? null : JSON.stringify(ids);
}

export interface ApiClientRow {
  client_id: string;
  tenant_id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  authorization_server_ids: string | null;
  created_at: number;
}

/** Maps an api_clients row to an OAuthClient. */
export function toOAuthClient(row: ApiClientRow): OAuthClient {
  return {
    tenantId: row.tenant_id,
    clientId: row.client_id,
    name: row.name,
    secretHash: row.secret_hash,
    scopes: JSON.parse(row.scopes) as string[],
    authorizationServerIds: parseServerIds(row.authorization_server_ids),
    createdAt: row.created_at,
  };
}

/** The api_clients columns of an OAuthClient. */
export function oauthClientParams(client: OAuthClient): Params {
  return {
    client_id: client.clientId,
    tenant_id: client.tenantId,
    name: client.name,
    secret_hash: client.secretHash,
    scopes: JSON.stringify(client.scopes),
    authorization_server_ids: serverIdsParam(client.authorizationServerIds),
    created_at: client.createdAt,
  };
}

export interface ApiTokenRow {
  id: string;
  tenant_id: string;
  name: string;
  token_hash: string;
  scopes: string;
  authorization_server_ids: string | null;
  created_at: number;
}

/** Maps an api_tokens row to an ApiToken. */
export function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    tokenHash: row.token_hash,
    scopes: JSON.parse(row.scopes) as string[],
    authorizationServerIds: parseServerIds(row.authorization_server_ids),
    createdAt: row.created_at,
  };
}

/** The api_tokens columns of an ApiToken. */
export function apiTokenParams(token: ApiToken): Params {
  return {
    id: token.id,
    tenant_id: token.tenantId,
    name: token.name,
    token_hash: token.tokenHash,
    scopes: JSON.stringify(token.scopes),
    authorization_server_ids: serverIdsParam(token.authorizationServerIds),
    created_at: token.createdAt,
  };
}

export interface AuditEventRow {
  id: number;
  tenant_id: string;
  at: number;
  actor_type: string;
  actor_id: string;
  actor_tenant_id: string | null;
  action: string;
  key_set_id: string | null;
  kid: string | null;
  from_state: string | null;
  to_state: string | null;
  operation: string | null;
  source_ip: string | null;
  request_id: string | null;
  details: string;
}

/** Maps an audit_events row to an AuditEvent. */
export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    at: row.at,
    actor: { type: row.actor_type as Actor['type'], id: row.actor_id, tenantId: row.actor_tenant_id },
    action: row.action as AuditAction,
    keySetId: row.key_set_id,
    kid: row.kid,
    fromState: row.from_state as KeyState | null,
    toState: row.to_state as KeyState | null,
    operation: row.operation,
    sourceIp: row.source_ip,
    requestId: row.request_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/** The audit_events columns of a new event (the id is the database's). */
export function auditEventParams(event: NewAuditEvent): Params {
  return {
    tenant_id: event.tenantId,
    at: event.at,
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    actor_tenant_id: event.actor.tenantId,
    action: event.action,
    key_set_id: event.keySetId,
    kid: event.kid,
    from_state: event.fromState,
    to_state: event.toState,
    operation: event.operation,
    source_ip: event.sourceIp,
    request_id: event.requestId,
    details: JSON.stringify(event.details),
  };
}

export interface IdentityProviderRow {
  tenant_id: string;
  id: string;
  type: string;
  name: string;
  status: string;
  protocol_type: string;
  settings: string;
  trust_kid: string | null;
  signing_key_set_id: string | null;
  created_at: number;
  updated_at: number;
}

/** Maps an identity_providers row to an IdentityProvider. */
export function toIdentityProvider(row: IdentityProviderRow): IdentityProvider {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    type: row.type,
    name: row.name,
    status: row.status as IdentityProviderStatus,
    protocolType: row.protocol_type,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    trustKid: row.trust_kid,
    signingKeySetId: row.signing_key_set_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The identity_providers columns of an IdentityProvider. */
export function identityProviderParams(idp: IdentityProvider): Params {
  return {
    tenant_id: idp.tenantId,
    id: idp.id,
    type: idp.type,
    name: idp.name,
    status: idp.status,
    protocol_type: idp.protocolType,
    settings: JSON.stringify(idp.settings),
    trust_kid: idp.trustKid,
    signing_key_set_id: idp.signingKeySetId,
    created_at: idp.createdAt,
    updated_at: idp.updatedAt,
  };
}

export interface KeyStoreCredentialRow {
  tenant_id: string;
  kid: string;
  certificate_der: string;
  created_at: number;
  updated_at: number;
}

/** Maps a key_store_credentials row to a KeyStoreCredential. */
export function toKeyStoreCredential(row: KeyStoreCredentialRow): KeyStoreCredential {
  return {
    tenantId: row.tenant_id,
    kid: row.kid,
    certificateDer: row.certificate_der,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The key_store_credentials columns of a KeyStoreCredential. */
export function keyStoreCredentialParams(credential: KeyStoreCredential): Params {
  return {
    tenant_id: credential.tenantId,
    kid: credential.kid,
    certificate_der: credential.certificateDer,
    created_at: credential.createdAt,
    updated_at: credential.updatedAt,
  };
}

export interface IdpCsrRow {
  id: string;
  tenant_id: string;
  idp_id: string;
  csr_der: string;
  kty: string;
  alg: string;
  sealed_private_key: string;
  created_at: number;
}

/** Maps an idp_csrs row to an IdpCsr. */
export function toIdpCsr(row: IdpCsrRow): IdpCsr {
  return {
    tenantId: row.tenant_id,
    idpId: row.idp_id,
    id: row.id,
    csrDer: row.csr_der,
    kty: row.kty as IdpCsr['kty'],
    alg: row.alg as Algorithm,
    sealedPrivateKey: row.sealed_private_key,
    createdAt: row.created_at,
  };
}

/** The idp_csrs columns of an IdpCsr. */
export function idpCsrParams(csr: IdpCsr): Params {
  return {
    id: csr.id,
    tenant_id: csr.tenantId,
    idp_id: csr.idpId,
    csr_der: csr.csrDer,
    kty: csr.kty,
    alg: csr.alg,
    sealed_private_key: csr.sealedPrivateKey,
    created_at: csr.createdAt,
  };
}

/** `INSERT INTO table (a, b) VALUES (:a, :b)` for the columns of `params`. */
export function insertSql(table: string, params: Params): string {
  const columns = Object.keys(params);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `:${column}`).join(', ')})`;
}

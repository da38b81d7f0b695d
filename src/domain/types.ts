/**
 * The type catalogue of Signet's domain. All timestamps are epoch milliseconds (UTC);
 * all durations carry their unit in their name.
 */

/** Lifecycle states of a signing key (docs/spec.md §2). */
export type KeyState = 'next' | 'active' | 'draining' | 'retired' | 'revoked';

/** JWS algorithms Signet signs with (docs/spec.md §4). */
export type Algorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

/** RSA modulus lengths Signet generates. */
export type RsaModulusLength = 2048 | 3072 | 4096;

export type RotationMode = 'AUTO' | 'MANUAL';

/** Per key set rotation policy (docs/spec.md §3); defaults live in `src/domain/default-rotation-policy.ts`. */
export interface RotationPolicy {
  mode: RotationMode;
  /** How long a key stays active before AUTO mode rotates it. */
  rotationPeriodSeconds: number;
  /** The longest `Cache-Control: max-age` verifiers are told to hold the JWKS. */
  jwksMaxAgeSeconds: number;
  /** Tolerated clock difference between Signet and verifiers. */
  clockSkewSeconds: number;
  /** The token endpoint never issues a token living longer than this. */
  maxTokenLifetimeSeconds: number;
  /** How long a draining key stays published; at least maxTokenLifetime + jwksMaxAge + clockSkew. */
  drainingPeriodSeconds: number;
  /** Validity of each key's self-signed certificate. */
  certificateValiditySeconds: number;
  /** A published key's certificate is renewed this long before it expires. */
  certificateRenewBeforeSeconds: number;
  /** How far back verifier readiness counts the consumers that fetched the JWKS. */
  readinessWindowSeconds: number;
  /** The readiness gate: the percentage of consumers seen in the window that must hold the next key before AUTO rotation activates it (0: no gate). */
  readinessGatePercent: number;
  /** The longest AUTO rotation waits for the readiness gate past its scheduled time before it rotates anyway. */
  readinessGateMaxWaitSeconds: number;
}

export type KeySetOwnerType = 'authorizationServer' | 'identityProvider';

/** Where a key set keeps its private keys (docs/spec.md §7): sealed in the database, or on a PKCS#11 token. */
export type Custody = 'sealed' | 'pkcs11';

export interface KeySet {
  id: string;
  tenantId: string;
  ownerType: KeySetOwnerType;
  ownerId: string;
  alg: Algorithm;
  /** Only for RSA algorithms; null otherwise. */
  rsaModulusLength: RsaModulusLength | null;
  /** Fixed at creation: every key of the set lives in this custody. */
  custody: Custody;
  policy: RotationPolicy;
  /**
   * The latest time a JWKS served before the last cut of jwksMaxAgeSeconds may still be cached
   * (null when it was never cut): a verifier told "max-age=3600" keeps that copy for an hour even
   * if the policy now says 60 s, so no next key may activate before this time plus clockSkew.
   */
  jwksCacheHorizonAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A public JWK as published: public members only, never `d`, `p`, `q`, `dp`, `dq`, `qi`. */
export interface PublicJwk {
  kty: 'RSA' | 'EC' | 'OKP';
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/** Where a key came from. */
export type KeyOrigin = 'generated' | 'imported';

/**
 * Who issued a key's certificate: `signet` self-signed it (and renews it before it expires);
 * `external` is a CA's answer to a CSR (or a copy of one), which Signet never replaces.
 */
export type CertificateIssuer = 'signet' | 'external';

export interface Key {
  keySetId: string;
  /** RFC 7638 JWK thumbprint (base64url SHA-256) of the public key. */
  kid: string;
  alg: Algorithm;
  state: KeyState;
  origin: KeyOrigin;
  publicJwk: PublicJwk;
  /** AES-256-GCM sealed PKCS#8 private key (custody `sealed`); opaque outside `src/crypto`; null on a token. */
  sealedPrivateKey: string | null;
  /** The CKA_ID (hex) of the key's objects on the PKCS#11 token (custody `pkcs11`); null when sealed. */
  tokenObjectId: string | null;
  /** DER of the key's current certificate, standard base64 (as in `x5c`). */
  certificateDer: string;
  /** Who issued `certificateDer`; fixed when the key is created. */
  certificateIssuer: CertificateIssuer;
  certificateNotBefore: number;
  certificateNotAfter: number;
  createdAt: number;
  /** When the key entered the JWKS. */
  publishedAt: number;
  activatedAt: number | null;
  /** When the key stopped signing (entered `draining`). */
  drainingSince: number | null;
  /** When a draining key will be retired; fixed when it starts draining. */
  retireAt: number | null;
  retiredAt: number | null;
  revokedAt: number | null;
  /**
   * The longest token lifetime the key may have signed with: the policy's maxTokenLifetime when it
   * activated, raised (never lowered) by later policy changes while it was active, far enough that
   * its retention never shrinks (src/domain/apply-policy-change.ts). Retirement waits for it, so
   * changing the policy never cuts tokens already issued, or a promised `verifiableUntil`, short (I4).
   */
  tokenLifetimeCeilingSeconds: number;
}

/** The states in which a key is published in the JWKS. */
export const PUBLISHED_STATES: readonly KeyState[] = ['next', 'active', 'draining'];

export interface Tenant {
  id: string;
  displayName: string;
  /** Host names this tenant claims: a request whose Host matches is served as this tenant at `/`. */
  hostNames: string[];
  createdAt: number;
}

export interface AuthorizationServer {
  tenantId: string;
  /** `default` for the tenant's default server. */
  id: string;
  name: string;
  audiences: string[];
  /** Requested lifetime of access tokens; capped by the key set's maxTokenLifetimeSeconds. */
  accessTokenLifetimeSeconds: number;
  /** The key set whose active key signs this server's tokens (null until one exists). */
  signingKeySetId: string | null;
  /**
   * An issuer URL outside Signet (say `https://login.example.com`) that this server's tokens and
   * discovery document carry instead of Signet's own; its JWKS stays served by Signet. Null: Signet's.
   */
  externalIssuer: string | null;
  createdAt: number;
}

/** Whether an identity provider is in use (Okta's IdP `status`). */
export type IdentityProviderStatus = 'ACTIVE' | 'INACTIVE';

/**
 * An upstream identity provider (Okta "idps"). Its signing keys are a key set it owns
 * (`ownerType: 'identityProvider'`), so they share the one key lifecycle; the key it signs with
 * is that key set's active key.
 */
export interface IdentityProvider {
  tenantId: string;
  id: string;
  /** The IdP type as the vendor names it: `SAML2`, `OIDC`, `X509`, `GOOGLE`, ... */
  type: string;
  /** Unique per tenant. */
  name: string;
  status: IdentityProviderStatus;
  /** The protocol type: `SAML2`, `OIDC`, `OAUTH2`, `MTLS`. */
  protocolType: string;
  /**
   * Protocol and policy settings Signet stores but does not act on (endpoints, scopes, issuer),
   * kept so a client reads back what it wrote; never key material.
   */
  settings: Record<string, unknown>;
  /** The key-store credential that verifies what the IdP sends (Okta protocol.credentials.trust.kid). */
  trustKid: string | null;
  /** The key set whose active key signs requests to the IdP (null only while being created). */
  signingKeySetId: string | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * An X.509 certificate uploaded to the tenant's key store (Okta's global IdP key store). Public
 * material only; the kid is Signet's, stable across a certificate replacement.
 */
export interface KeyStoreCredential {
  tenantId: string;
  kid: string;
  /** DER of the certificate, standard base64 (as in `x5c`). */
  certificateDer: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * A certificate signing request of an identity provider: a key pair minted by Signet whose public
 * half awaits a CA's certificate. The private key is sealed like a signing key's and never leaves.
 */
export interface IdpCsr {
  tenantId: string;
  idpId: string;
  id: string;
  /** DER of the PKCS#10 request, standard base64. */
  csrDer: string;
  kty: 'RSA' | 'EC';
  /** The signing algorithm the key will have once published into the IdP's key set. */
  alg: Algorithm;
  /** AES-256-GCM sealed PKCS#8 private key; opaque outside `src/crypto`. */
  sealedPrivateKey: string;
  createdAt: number;
}

/**
 * Management permissions. A credential belongs to one tenant and acts only on that tenant;
 * `tenants:*` is only grantable on the default (root) tenant.
 */
export type Scope =
  | 'keys:read'
  | 'keys:write'
  | 'authorization-servers:read'
  | 'authorization-servers:write'
  | 'clients:read'
  | 'clients:write'
  | 'audit:read'
  | 'tenants:read'
  | 'tenants:write'
  | 'identity-providers:read'
  | 'identity-providers:write'
  | 'webhooks:read'
  | 'webhooks:write'
  | 'tokens:sign';

export const ALL_SCOPES: readonly Scope[] = [
  'keys:read',
  'keys:write',
  'authorization-servers:read',
  'authorization-servers:write',
  'clients:read',
  'clients:write',
  'audit:read',
  'tenants:read',
  'tenants:write',
  'identity-providers:read',
  'identity-providers:write',
  'webhooks:read',
  'webhooks:write',
  'tokens:sign',
];

/** An OAuth client of the token endpoint (client_credentials). */
export interface OAuthClient {
  tenantId: string;
  clientId: string;
  name: string;
  /** SHA-256 of the secret, base64url; the secret itself is shown once and never stored. */
  secretHash: string;
  scopes: string[];
  /** Authorization servers this credential may sign for with `tokens:sign`; null for every one. */
  authorizationServerIds: string[] | null;
  createdAt: number;
}

/** An opaque, long-lived management token (Okta "SSWS" style). */
export interface ApiToken {
  tenantId: string;
  id: string;
  name: string;
  /** SHA-256 of the token, base64url. */
  tokenHash: string;
  scopes: string[];
  /** Authorization servers this credential may sign for with `tokens:sign`; null for every one. */
  authorizationServerIds: string[] | null;
  createdAt: number;
}

/** Who did something: a credential, the scheduler, or the bootstrap. */
export interface Actor {
  type: 'apiToken' | 'client' | 'scheduler' | 'system';
  id: string;
  tenantId: string | null;
}

export type AuditAction =
  | 'tenant.created'
  | 'tenant.updated'
  | 'authorizationServer.created'
  | 'authorizationServer.updated'
  | 'keySet.created'
  | 'keySet.policyUpdated'
  | 'key.generated'
  | 'key.imported'
  | 'key.activated'
  | 'key.draining'
  | 'key.retired'
  | 'key.revoked'
  | 'key.certificateRenewed'
  | 'key.destroyed'
  | 'key.resealed'
  | 'key.certificateExpiring'
  | 'keySet.rotationOverdue'
  | 'key.signatures'
  | 'client.created'
  | 'client.deleted'
  | 'apiToken.created'
  | 'apiToken.deleted'
  | 'identityProvider.created'
  | 'identityProvider.updated'
  | 'keyStoreCredential.created'
  | 'keyStoreCredential.replaced'
  | 'keyStoreCredential.deleted'
  | 'csr.created'
  | 'csr.deleted'
  | 'csr.published'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
  | 'webhook.redelivered';

export interface AuditEvent {
  id: number;
  tenantId: string;
  at: number;
  actor: Actor;
  action: AuditAction;
  keySetId: string | null;
  kid: string | null;
  fromState: KeyState | null;
  toState: KeyState | null;
  /** The operation that caused the event: `rotate`, `emergencyRotate`, `revoke`, `schedule`, ... */
  operation: string | null;
  sourceIp: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/** An audit event before storage gives it an id. */
export type NewAuditEvent = Omit<AuditEvent, 'id'>;

/** Who is asking and from where; passed from every surface into every use case. */
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
  sourceIp: string | null;
  /** The surface the change came through; every audit event records it in `details.surface`. */
  surface: AuditSurface;
}

/**
 * Where a change came from: the management API it was asked through (`native`, which the CLI and
 * the dashboard use too, or a vendor dialect), or the internal actor (`scheduler`, `bootstrap`);
 * `key.signatures` summaries name the signing surface (`native` for the signing API, `token` for
 * the token endpoints).
 */
export type AuditSurface =
  | 'native'
  | 'okta'
  | 'auth0'
  | 'onelogin'
  | 'scheduler'
  | 'bootstrap'
  | 'cli'
  | 'token'
  | 'kubernetes';

/**
 * What one instance saw of one JWKS consumer of one key set: the unit of verifier readiness,
 * kept in memory per request and written to the database at an interval (docs/spec.md §7, rollout safety).
 */
export interface ConsumerSighting {
  keySetId: string;
  /** Name, address and User-Agent joined: what tells consumers apart. */
  consumerKey: string;
  /** The name the consumer gave (`?consumer=` or `Signet-Consumer`), or null. */
  name: string | null;
  /** Source address (the forwarded one behind a trusted proxy). */
  address: string;
  userAgent: string;
  firstSeenAt: number;
  lastFetchAt: number;
  fetchCount: number;
  /** The next key's kid in the last key set it fetched, or null when that key set had no next key. */
  nextKidSeen: string | null;
}

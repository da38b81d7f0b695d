import { certificateThumbprints } from '../../../crypto/certificate-thumbprints.ts';
import { readCertificate } from '../../../crypto/read-certificate.ts';
import type {
  AuthorizationServer,
  IdentityProvider,
  IdpCsr,
  Key,
  KeySet,
  KeyStoreCredential,
  PublicJwk,
} from '../../../domain/types.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../../domain/default-authorization-server-id.ts';

/**
 * Okta's object shapes (docs/vendor-contracts.md §2.2 and §2.3, Okta: `AuthorizationServer`, `AuthorizationServerJsonWebKey`,
 * `IdentityProvider`, `IdPKeyCredential`, `IdPCsr`), each built field by field from Signet's
 * records so nothing private (a sealed key) can reach a response.
 */

const iso = (ms: number): string => new Date(ms).toISOString();

/** Okta's key status names for the published states (docs/spec.md §2 table). */
const STATUS = { active: 'ACTIVE', next: 'NEXT', draining: 'EXPIRED' } as const;

function publicMembers(jwk: PublicJwk): Record<string, string> {
  const out: Record<string, string> = { kty: jwk.kty };
  for (const member of ['e', 'n', 'crv', 'x', 'y'] as const) if (jwk[member] !== undefined) out[member] = jwk[member]!;
  return out;
}

const link = (href: string, allow: string[]) => ({ href, hints: { allow } });

/** The issuer of a server addressed at `base` (the rule of public-routes.ts: `default` is the tenant base). */
export function oktaIssuer(base: string, serverId: string): string {
  return serverId === DEFAULT_AUTHORIZATION_SERVER_ID ? base : `${base}/oauth2/${serverId}`;
}

/** An authorization-server key as Okta lists it (`AuthorizationServerJsonWebKey`). */
export function authorizationServerKeyJson(key: Key, base: string, serverId: string) {
  return {
    alg: key.alg,
    ...publicMembers(key.publicJwk),
    kid: key.kid,
    use: 'sig',
    status: STATUS[key.state as keyof typeof STATUS] ?? 'EXPIRED',
    _links: { self: link(`${base}/api/v1/authorizationServers/${serverId}/credentials/keys/${key.kid}`, ['GET']) },
  };
}

export interface SigningState {
  keySet: KeySet;
  active: Key | undefined;
  /** When AUTO mode rotates next (the key set's schedule); null in MANUAL mode. */
  nextRotationAt: number | null;
}

/** The authorization-server object with `credentials.signing` (docs/vendor-contracts.md §2.2, Okta: `AuthorizationServerCredentialsSigningConfig`). */
export function authorizationServerJson(server: AuthorizationServer, signing: SigningState, base: string) {
  const self = `${base}/api/v1/authorizationServers/${server.id}`;
  const root = `${base}/oauth2/${server.id}`;
  const { keySet, active } = signing;
  return {
    id: server.id,
    name: server.name,
    description: server.name,
    audiences: server.audiences,
    issuer: oktaIssuer(base, server.id),
    issuerMode: 'ORG_URL',
    status: 'ACTIVE',
    created: iso(server.createdAt),
    lastUpdated: iso(Math.max(server.createdAt, keySet.updatedAt)),
    default: server.id === DEFAULT_AUTHORIZATION_SERVER_ID,
    credentials: {
      signing: {
        rotationMode: keySet.policy.mode,
        ...(active?.activatedAt != null ? { lastRotated: iso(active.activatedAt) } : {}),
        ...(keySet.policy.mode === 'AUTO' && signing.nextRotationAt !== null
          ? { nextRotation: iso(signing.nextRotationAt) }
          : {}),
        ...(active ? { kid: active.kid } : {}),
        use: 'sig',
      },
    },
    _links: {
      self: link(self, ['GET', 'PUT']),
      rotateKey: link(`${self}/credentials/lifecycle/keyRotate`, ['POST']),
      keys: link(`${self}/credentials/keys`, ['GET']),
      metadata: [
        { name: 'oauth-authorization-server', ...link(`${root}/.well-known/oauth-authorization-server`, ['GET']) },
        { name: 'openid-configuration', ...link(`${root}/.well-known/openid-configuration`, ['GET']) },
      ],
    },
  };
}

interface CredentialFields {
  kid: string;
  createdAt: number;
  updatedAt: number;
  certificateDer: string;
  certificateNotAfter: number;
  publicJwk: PublicJwk;
  alg?: string;
}

function keyCredential(fields: CredentialFields) {
  return {
    created: iso(fields.createdAt),
    lastUpdated: iso(fields.updatedAt),
    expiresAt: iso(fields.certificateNotAfter),
    kid: fields.kid,
    ...(fields.alg ? { alg: fields.alg } : {}),
    ...publicMembers(fields.publicJwk),
    use: 'sig',
    x5c: [fields.certificateDer],
    'x5t#S256': certificateThumbprints(fields.certificateDer).x5tS256,
  };
}

/** An IdP signing key (a key of the IdP's key set) as an `IdPKeyCredential`. */
export function idpSigningKeyJson(key: Key) {
  const updatedAt = Math.max(key.createdAt, key.activatedAt ?? 0, key.drainingSince ?? 0, key.certificateNotBefore);
  return keyCredential({
    kid: key.kid,
    createdAt: key.createdAt,
    updatedAt,
    certificateDer: key.certificateDer,
    certificateNotAfter: key.certificateNotAfter,
    publicJwk: key.publicJwk,
    alg: key.alg,
  });
}

/** A key-store certificate as an `IdPKeyCredential`; its key members come from the certificate. */
export function keyStoreCredentialJson(credential: KeyStoreCredential) {
  const certificate = readCertificate(Buffer.from(credential.certificateDer, 'base64'));
  return keyCredential({
    kid: credential.kid,
    createdAt: credential.createdAt,
    updatedAt: credential.updatedAt,
    certificateDer: credential.certificateDer,
    certificateNotAfter: certificate.notAfter,
    publicJwk: certificate.publicJwk,
  });
}

/** A CSR as Okta's `IdPCsr`; the key pair itself never leaves Signet. */
export function idpCsrJson(csr: IdpCsr, base: string) {
  const self = `${base}/api/v1/idps/${csr.idpId}/credentials/csrs/${csr.id}`;
  return {
    id: csr.id,
    created: iso(csr.createdAt),
    csr: csr.csrDer,
    kty: csr.kty,
    _links: { self: link(self, ['GET', 'DELETE']), publish: link(`${self}/lifecycle/publish`, ['POST']) },
  };
}

/** What Signet keeps of an Okta IdP's `protocol` and `policy` besides the key references. */
export interface OktaIdpSettings {
  protocol?: Record<string, unknown>;
  trust?: Record<string, unknown>;
  policy?: unknown;
  issuerMode?: unknown;
}

/** The Okta `IdentityProvider` object. */
export function identityProviderJson(idp: IdentityProvider, signingKid: string | undefined, base: string) {
  const settings = idp.settings as OktaIdpSettings;
  const self = `${base}/api/v1/idps/${idp.id}`;
  const trust = { ...(settings.trust ?? {}), ...(idp.trustKid ? { kid: idp.trustKid } : {}) };
  return {
    id: idp.id,
    type: idp.type,
    name: idp.name,
    status: idp.status,
    issuerMode: settings.issuerMode ?? 'ORG_URL',
    created: iso(idp.createdAt),
    lastUpdated: iso(idp.updatedAt),
    protocol: {
      ...(settings.protocol ?? {}),
      type: idp.protocolType,
      credentials: {
        ...(Object.keys(trust).length > 0 ? { trust } : {}),
        ...(signingKid ? { signing: { kid: signingKid } } : {}),
      },
    },
    ...(settings.policy !== undefined ? { policy: settings.policy } : {}),
    _links: {
      self: link(self, ['GET', 'PUT']),
      keys: link(`${self}/credentials/keys`, ['GET']),
      csrs: link(`${self}/credentials/csrs`, ['GET', 'POST']),
    },
  };
}

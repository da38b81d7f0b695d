import type { SignerSummary } from '../../services/create-audit-service.ts';
import type { ReadinessReport } from '../../services/create-readiness-service.ts';
import { certificateThumbprints } from '../../crypto/certificate-thumbprints.ts';
import { earliestActivation } from '../../domain/earliest-activation.ts';
import { isExecuted, type ScheduledTransition } from '../../domain/compute-schedule.ts';
import type {
  OAuthClient,
  ApiToken,
  AuditEvent,
  AuthorizationServer,
  IdentityProvider,
  Key,
  KeySet,
  Tenant,
} from '../../domain/types.ts';
import type { KeySetView } from '../../runtime/build-key-set-view.ts';
import type { SignResult } from '../../services/create-signing-service.ts';
import type { SignatureResource } from './sign-types.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The native API's camelCase resources. Each mapper names the fields it publishes, so no private
 * or internal member (the sealed key, secret hashes) can reach a response by accident.
 */
export function keyResource(key: Key) {
  const thumbprints = certificateThumbprints(key.certificateDer);
  return {
    kid: key.kid,
    keySetId: key.keySetId,
    alg: key.alg,
    state: key.state,
    origin: key.origin,
    publicJwk: { ...pickPublic(key.publicJwk), kid: key.kid, alg: key.alg, use: 'sig' },
    certificate: {
      x5c: [key.certificateDer],
      x5t: thumbprints.x5t,
      x5tS256: thumbprints.x5tS256,
      notBefore: iso(key.certificateNotBefore),
      notAfter: iso(key.certificateNotAfter),
      // `signet`: self-signed and renewed by the scheduler; `external`: a CA's, never replaced.
      issuer: key.certificateIssuer,
    },
    createdAt: iso(key.createdAt),
    publishedAt: iso(key.publishedAt),
    activatedAt: iso(key.activatedAt),
    drainingSince: iso(key.drainingSince),
    retireAt: iso(key.retireAt),
    retiredAt: iso(key.retiredAt),
    revokedAt: iso(key.revokedAt),
  };
}

function pickPublic(jwk: Key['publicJwk']): Record<string, string> {
  const out: Record<string, string> = { kty: jwk.kty };
  for (const member of ['n', 'e', 'crv', 'x', 'y'] as const) if (jwk[member] !== undefined) out[member] = jwk[member]!;
  return out;
}

/** A scheduled transition as the native API shows it. */
export function transitionResource(transition: ScheduledTransition) {
  return { at: iso(transition.at), action: transition.action, kid: transition.kid };
}

/**
 * A key set with its policy, current keys, the next scheduled transition and the earliest time a
 * rotation without force is safe (null while no next key is published).
 */
export function keySetResource(keySet: KeySet, view: KeySetView | undefined) {
  const active = view?.keys.find((key) => key.state === 'active');
  const next = view?.keys.find((key) => key.state === 'next');
  // The next change the scheduler makes; a CA certificate's expiry shows in the schedule only.
  const nextExecuted = view?.schedule.find(isExecuted);
  return {
    id: keySet.id,
    tenantId: keySet.tenantId,
    ownerType: keySet.ownerType,
    ownerId: keySet.ownerId,
    alg: keySet.alg,
    rsaModulusLength: keySet.rsaModulusLength,
    custody: keySet.custody,
    policy: { ...keySet.policy },
    activeKid: active?.kid ?? null,
    nextKid: next?.kid ?? null,
    rotationSafeAt: next ? iso(earliestActivation(next, keySet.policy, keySet.jwksCacheHorizonAt)) : null,
    nextTransition: nextExecuted ? transitionResource(nextExecuted) : null,
    createdAt: iso(keySet.createdAt),
    updatedAt: iso(keySet.updatedAt),
  };
}

export function tenantResource(tenant: Tenant) {
  return {
    id: tenant.id,
    displayName: tenant.displayName,
    hostNames: tenant.hostNames,
    createdAt: iso(tenant.createdAt),
  };
}

export function authorizationServerResource(server: AuthorizationServer) {
  return {
    id: server.id,
    tenantId: server.tenantId,
    name: server.name,
    audiences: server.audiences,
    accessTokenLifetimeSeconds: server.accessTokenLifetimeSeconds,
    signingKeySetId: server.signingKeySetId,
    externalIssuer: server.externalIssuer,
    createdAt: iso(server.createdAt),
  };
}

export function clientResource(client: OAuthClient) {
  return {
    clientId: client.clientId,
    tenantId: client.tenantId,
    name: client.name,
    scopes: client.scopes,
    authorizationServerIds: client.authorizationServerIds,
    createdAt: iso(client.createdAt),
  };
}

export function apiTokenResource(token: ApiToken) {
  return {
    id: token.id,
    tenantId: token.tenantId,
    name: token.name,
    scopes: token.scopes,
    authorizationServerIds: token.authorizationServerIds,
    createdAt: iso(token.createdAt),
  };
}

export function auditEventResource(event: AuditEvent) {
  return {
    id: event.id,
    at: iso(event.at),
    actor: event.actor,
    action: event.action,
    keySetId: event.keySetId,
    kid: event.kid,
    fromState: event.fromState,
    toState: event.toState,
    operation: event.operation,
    sourceIp: event.sourceIp,
    requestId: event.requestId,
    details: event.details,
  };
}

export function identityProviderResource(idp: IdentityProvider) {
  return {
    id: idp.id,
    tenantId: idp.tenantId,
    type: idp.type,
    name: idp.name,
    status: idp.status,
    protocolType: idp.protocolType,
    settings: idp.settings,
    trustKid: idp.trustKid,
    signingKeySetId: idp.signingKeySetId,
    createdAt: iso(idp.createdAt),
    updatedAt: iso(idp.updatedAt),
  };
}

/** RFC 3339 at the minute, as the accountability listing names its minutes (`2026-01-01T10:04:00Z`). */
function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}:00Z`;
}

/** The answer of `GET /key-sets/{id}/keys/{kid}/signers`: who signed with a kid, how often, when. */
export function signersResource(kid: string, signers: readonly SignerSummary[]) {
  return {
    kid,
    signers: signers.map((signer) => ({
      credentialId: signer.credentialId,
      count: signer.count,
      firstAt: isoMinute(signer.firstAt),
      lastAt: isoMinute(signer.lastAt),
    })),
  };
}

/** The signing API's answer: a signature and its guarantee, times in RFC 3339. */
export function signatureResource(result: SignResult): SignatureResource {
  return {
    jwt: result.jwt,
    kid: result.kid,
    alg: result.alg,
    issuedAt: new Date(result.issuedAt).toISOString(),
    expiresAt: new Date(result.expiresAt).toISOString(),
    verifiableUntil: new Date(result.verifiableUntil).toISOString(),
  };
}

/** A key set's verifier readiness with its times in RFC 3339. */
export function readinessResource(readiness: ReadinessReport) {
  return {
    ...readiness,
    nextPublishedAt: iso(readiness.nextPublishedAt),
    consumers: readiness.consumers.map((consumer) => ({
      ...consumer,
      firstSeenAt: new Date(consumer.firstSeenAt).toISOString(),
      lastFetchAt: new Date(consumer.lastFetchAt).toISOString(),
      laggingSince: iso(consumer.laggingSince),
    })),
  };
}

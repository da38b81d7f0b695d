import assert from 'node:assert/strict';
import { afterEach, beforeEach } from 'node:test';
import { DEFAULT_ROTATION_POLICY } from '../../src/domain/default-rotation-policy.ts';
import { isSignetError, type ErrorCode } from '../../src/errors.ts';
import type {
  OAuthClient,
  ApiToken,
  AuthorizationServer,
  Key,
  KeySet,
  KeyState,
  NewAuditEvent,
  Tenant,
} from '../../src/domain/types.ts';
import type { Store } from '../../src/storage/store.ts';
import type { StorageDialect, StorageHarness } from './dialects.ts';

/** Gives each test of the enclosing describe a fresh, migrated harness of `dialect`. */
export function useHarness(dialect: StorageDialect): () => StorageHarness {
  let harness: StorageHarness | undefined;
  beforeEach(async () => {
    harness = await dialect.create({ migrated: true });
    await harness.store.migrate();
  });
  // A timeout, so a store left deadlocked by a failed test fails the run instead of hanging it.
  afterEach(
    async () => {
      const current = harness;
      harness = undefined;
      await current?.cleanup();
    },
    { timeout: 10_000 },
  );
  return () => {
    assert.ok(harness, 'the harness is only available inside a test');
    return harness;
  };
}

/** Asserts that `promise` rejects with a SignetError carrying `code`. */
export async function assertRejectsWithCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isSignetError(error), `expected a SignetError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

/** A tenant with no host names unless given. */
export function makeTenant(id: string, fields: Partial<Tenant> = {}): Tenant {
  return { id, displayName: `Tenant ${id}`, hostNames: [], createdAt: 1_000, ...fields };
}

/** An authorization server without a signing key set unless given. */
export function makeAuthorizationServer(
  tenantId: string,
  id: string,
  fields: Partial<AuthorizationServer> = {},
): AuthorizationServer {
  return {
    tenantId,
    id,
    name: `Server ${id}`,
    audiences: ['api://default'],
    accessTokenLifetimeSeconds: 3600,
    signingKeySetId: null,
    externalIssuer: null,
    createdAt: 2_000,
    ...fields,
  };
}

/** An RS256 key set of an authorization server with the default policy. */
export function makeKeySet(id: string, tenantId: string, fields: Partial<KeySet> = {}): KeySet {
  return {
    id,
    tenantId,
    ownerType: 'authorizationServer',
    ownerId: 'default',
    alg: 'RS256',
    rsaModulusLength: 2048,
    custody: 'sealed',
    policy: { ...DEFAULT_ROTATION_POLICY },
    jwksCacheHorizonAt: null,
    createdAt: 3_000,
    updatedAt: 3_000,
    ...fields,
  };
}

/** A well-formed key record; the crypto fields are placeholders, which storage does not inspect. */
export function makeKey(keySetId: string, kid: string, state: KeyState, fields: Partial<Key> = {}): Key {
  return {
    keySetId,
    kid,
    alg: 'RS256',
    state,
    origin: 'generated',
    publicJwk: { kty: 'RSA', n: `n-${kid}`, e: 'AQAB' },
    sealedPrivateKey: `sgk1.sealed-${kid}`,
    tokenObjectId: null,
    certificateDer: `MII-${kid}`,
    certificateIssuer: 'signet',
    certificateNotBefore: 4_000,
    certificateNotAfter: Date.UTC(2030, 0, 1),
    createdAt: 4_000,
    publishedAt: 4_000,
    activatedAt: state === 'next' ? null : 5_000,
    drainingSince: state === 'draining' || state === 'retired' ? 6_000 : null,
    retireAt: state === 'draining' || state === 'retired' ? 7_000 : null,
    retiredAt: state === 'retired' ? 7_000 : null,
    revokedAt: state === 'revoked' ? 7_500 : null,
    tokenLifetimeCeilingSeconds: 3600,
    ...fields,
  };
}

/** An API client of `tenantId`. */
export function makeClient(tenantId: string, clientId: string, fields: Partial<OAuthClient> = {}): OAuthClient {
  return {
    tenantId,
    clientId,
    name: `Client ${clientId}`,
    secretHash: `hash-${clientId}`,
    scopes: ['keys:read'],
    authorizationServerIds: null,
    createdAt: 8_000,
    ...fields,
  };
}

/** An API token of `tenantId`. */
export function makeApiToken(tenantId: string, id: string, fields: Partial<ApiToken> = {}): ApiToken {
  return {
    tenantId,
    id,
    name: `Token ${id}`,
    tokenHash: `hash-${id}`,
    scopes: ['keys:write'],
    authorizationServerIds: null,
    createdAt: 9_000,
    ...fields,
  };
}

/** A key event of tenant `tenantId`. */
export function makeAuditEvent(tenantId: string, fields: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    tenantId,
    at: 10_000,
    actor: { type: 'scheduler', id: 'scheduler', tenantId: null },
    action: 'key.activated',
    keySetId: null,
    kid: null,
    fromState: null,
    toState: null,
    operation: null,
    sourceIp: null,
    requestId: null,
    details: {},
    ...fields,
  };
}

/** Inserts tenant `tenantId` and key sets `keySetIds` in it, so keys have somewhere to live. */
export async function seedKeySets(store: Store, tenantId: string, ...keySetIds: string[]): Promise<void> {
  await store.transaction(async (tx) => {
    if (!(await tx.getTenant(tenantId))) await tx.insertTenant(makeTenant(tenantId));
    for (const id of keySetIds) await tx.insertKeySet(makeKeySet(id, tenantId));
  });
}

/** Standard SQL inserting `key` directly, for attacking the schema without the adapter. */
export function insertKeySql(key: Key): string {
  const text = (value: string | null): string => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);
  const number = (value: number | null): string => (value === null ? 'NULL' : String(value));
  return `INSERT INTO keys (key_set_id, kid, alg, state, origin, public_jwk, sealed_private_key, certificate_der,
    certificate_not_before, certificate_not_after, created_at, published_at, activated_at, draining_since, retire_at,
    retired_at, revoked_at, token_lifetime_ceiling_seconds) VALUES (${[
      text(key.keySetId),
      text(key.kid),
      text(key.alg),
      text(key.state),
      text(key.origin),
      text(JSON.stringify(key.publicJwk)),
      text(key.sealedPrivateKey),
      text(key.certificateDer),
      number(key.certificateNotBefore),
      number(key.certificateNotAfter),
      number(key.createdAt),
      number(key.publishedAt),
      number(key.activatedAt),
      number(key.drainingSince),
      number(key.retireAt),
      number(key.retiredAt),
      number(key.revokedAt),
      number(key.tokenLifetimeCeilingSeconds),
    ].join(', ')})`;
}

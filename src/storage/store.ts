import type {
  OAuthClient,
  ApiToken,
  AuditAction,
  ConsumerSighting,
  AuditEvent,
  AuthorizationServer,
  IdentityProvider,
  IdpCsr,
  Key,
  KeySet,
  KeySetOwnerType,
  KeyState,
  KeyStoreCredential,
  NewAuditEvent,
  Tenant,
} from '../domain/types.ts';
import type {
  Webhook,
  WebhookAttempt,
  WebhookAttemptResult,
  WebhookDeliveryWithEvent,
} from '../domain/webhook-types.ts';

/**
 * The storage port, implemented by SQLite (`./sqlite/`) and PostgreSQL (`./postgres/`) running the
 * same SQL (`./sql/`); every storage test runs against each adapter. Invariants I1, I2 and I5 are
 * enforced by the schema itself (partial unique indexes, a transition trigger, an append-only audit
 * table), so no code path can break them by forgetting a check.
 *
 * Contract details every adapter keeps (the storage suite checks them on each):
 * - List results are oldest first (created_at, then id or kid), except audit events, newest first.
 * - The one-active and one-next rules are unique indexes, checked per statement: a rotation must
 *   demote the active key before it promotes the next one. "Exactly one active" is the use case's
 *   job inside the same transaction; the schema guarantees "at most one".
 * - Callers check that parent rows exist (tenant, key set) before inserting children.
 * - Updates rewrite only mutable fields: a key's identity, algorithm and material, a key set's
 *   owner and algorithm, and every `createdAt` are fixed once written.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending migrations in order; idempotent. */
  migrate(): Promise<void>;
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Runs read-only `fn` against a consistent view. */
  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the lock `name`, which one caller at a time holds: across every process
   * sharing the database on PostgreSQL (released if the holder dies), within this process on SQLite.
   * For one-time work that spans several transactions, such as bootstrap.
   */
  exclusively<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Calls `listener` after each transaction that changed something commits, in this process or
   * (where the adapter can) in any process sharing the database; returns the unsubscribe
   * function. Delivery is best effort: a periodic reconcile covers anything a lost connection
   * missed. Optional until every adapter implements it.
   */
  subscribe?(listener: (changes: readonly StoreChange[]) => void): () => void;
  /**
   * How many Signet processes follow this database's changes right now (PostgreSQL: the
   * listening connections named {@link INSTANCE_APPLICATION_NAME}); the rate limits divide by it.
   * Absent where the adapter cannot see other processes.
   */
  countInstances?(): Promise<number>;
}

/** The `application_name` of each process's one listening connection on PostgreSQL, which countInstances counts. */
export const INSTANCE_APPLICATION_NAME = 'signet-instance';

/**
 * What a committed transaction touched, so each instance refreshes only that. `all` asks for a
 * full reload (sent whenever a notification channel starts or restarts listening, since changes
 * committed while nobody listened are missed, and when a change list is too long to send).
 */
export type StoreChange =
  | {
      readonly entity: 'tenant' | 'authorizationServer' | 'keySet' | 'client' | 'apiToken';
      readonly tenantId: string;
      readonly id: string;
    }
  | { readonly entity: 'all' };

export interface KeySetFilter {
  tenantId?: string;
  ownerType?: KeySetOwnerType;
  ownerId?: string;
}

export interface AuditFilter {
  tenantId: string;
  keySetId?: string;
  kid?: string;
  action?: AuditAction;
  /** Every action but this one (the lifecycle without the `key.signatures` counts). */
  excludeAction?: AuditAction;
  /** Inclusive lower bound on `at` (epoch ms). */
  since?: number;
  /** Exclusive upper bound on `at` (epoch ms). */
  until?: number;
  /** Only events with an id below this one (cursor for the next page). */
  beforeId?: number;
  /** Page size, newest first. */
  limit: number;
}

/** One page of the key store, oldest first; `after` is the last credential of the previous page. */
export interface KeyStorePage {
  after?: { createdAt: number; kid: string };
  limit: number;
}

/** A private key sealed under a master key, wherever it is stored (a key's row or a CSR's). */
export type SealedSecret =
  | { kind: 'key'; tenantId: string; keySetId: string; kid: string; sealed: string }
  | { kind: 'csr'; tenantId: string; idpId: string; id: string; sealed: string };

export interface StoreReader {
  getTenant(id: string): Promise<Tenant | undefined>;
  findTenantByHost(hostName: string): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;
  /** Every sealed private key of every tenant (keys and CSRs), for master-key rotation and status. */
  listSealedSecrets(): Promise<SealedSecret[]>;

  getAuthorizationServer(tenantId: string, id: string): Promise<AuthorizationServer | undefined>;
  /** Servers of one tenant, or of every tenant when `tenantId` is undefined (one query for a reload). */
  listAuthorizationServers(tenantId?: string): Promise<AuthorizationServer[]>;

  getKeySet(id: string): Promise<KeySet | undefined>;
  listKeySets(filter: KeySetFilter): Promise<KeySet[]>;

  /** Keys of a key set, oldest first, optionally only those in `states`. */
  listKeys(keySetId: string, states?: readonly KeyState[]): Promise<Key[]>;
  getKey(keySetId: string, kid: string): Promise<Key | undefined>;

  getClient(clientId: string): Promise<OAuthClient | undefined>;
  /** Clients of one tenant, or of every tenant when `tenantId` is undefined. */
  listClients(tenantId?: string): Promise<OAuthClient[]>;

  getApiTokenByHash(tokenHash: string): Promise<ApiToken | undefined>;
  getApiToken(tenantId: string, id: string): Promise<ApiToken | undefined>;
  /** API tokens of one tenant, or of every tenant when `tenantId` is undefined. */
  listApiTokens(tenantId?: string): Promise<ApiToken[]>;

  /** Newest first. */
  listAuditEvents(filter: AuditFilter): Promise<AuditEvent[]>;

  getMeta(name: string): Promise<string | undefined>;
  /** Every instance's sightings of a key set's JWKS consumers that fetched at or after `since`. */
  listConsumerSightings(keySetId: string, since: number): Promise<ConsumerSighting[]>;

  // Identity providers, the key store and IdP CSRs (migration 2026-11-22-identity-providers).

  getIdentityProvider(tenantId: string, id: string): Promise<IdentityProvider | undefined>;
  /** Oldest first. */
  listIdentityProviders(tenantId: string): Promise<IdentityProvider[]>;
  getKeyStoreCredential(tenantId: string, kid: string): Promise<KeyStoreCredential | undefined>;
  /** Oldest first (created_at, then kid), from just after `page.after`; an empty page for limit < 1. */
  listKeyStoreCredentials(tenantId: string, page: KeyStorePage): Promise<KeyStoreCredential[]>;
  getIdpCsr(tenantId: string, idpId: string, id: string): Promise<IdpCsr | undefined>;
  /** Oldest first. */
  listIdpCsrs(tenantId: string, idpId: string): Promise<IdpCsr[]>;

  // Webhook subscriptions and their outbox (migration 2026-12-02-webhooks, docs/events.md).

  getWebhook(tenantId: string, id: string): Promise<Webhook | undefined>;
  /** Oldest first. */
  listWebhooks(tenantId: string): Promise<Webhook[]>;
  /** Newest event first, at most `limit`. */
  listWebhookDeliveries(webhookId: string, limit: number): Promise<WebhookDeliveryWithEvent[]>;
  getWebhookDelivery(webhookId: string, id: string): Promise<WebhookDeliveryWithEvent | undefined>;
  /** Oldest first. */
  listWebhookAttempts(deliveryId: string): Promise<WebhookAttempt[]>;
  /**
   * The deliveries to attempt at `now`, oldest event first: for each enabled subscription only its
   * oldest pending delivery, when its retry time has come and no live lease holds it.
   */
  listDueWebhookDeliveries(now: number, limit: number): Promise<WebhookDeliveryWithEvent[]>;
  /** Events ever written to the outbox (its sequence). */
  countWebhookEvents(): Promise<number>;
  /** Deliveries not yet delivered nor given up: the outbox depth. */
  countPendingWebhookDeliveries(): Promise<number>;
}

export interface StoreTx extends StoreReader {
  /**
   * Replaces a sealed private key by `sealed` (the same key sealed under another master key) only
   * if it still is `secret.sealed`: false when another rotation got there first or the row is gone.
   */
  resealSecret(secret: SealedSecret, sealed: string): Promise<boolean>;
  /**
   * Takes the key set's row lock for the rest of the transaction and returns its current row, so
   * rotations, revocations and scheduled transitions of one key set are serialised.
   */
  lockKeySet(id: string): Promise<KeySet | undefined>;

  /** Throws ERR_ALREADY_EXISTS when the id or one of its host names is taken. */
  insertTenant(tenant: Tenant): Promise<void>;
  updateTenant(tenant: Tenant): Promise<void>;

  /** Throws ERR_ALREADY_EXISTS when (tenantId, id) is taken. */
  insertAuthorizationServer(server: AuthorizationServer): Promise<void>;
  updateAuthorizationServer(server: AuthorizationServer): Promise<void>;

  insertKeySet(keySet: KeySet): Promise<void>;
  updateKeySet(keySet: KeySet): Promise<void>;

  /** Throws ERR_ALREADY_EXISTS when the kid is already in the key set. */
  insertKey(key: Key): Promise<void>;
  /** Writes every mutable column; the schema refuses transitions that are not edges of docs/spec.md §2. */
  updateKey(key: Key): Promise<void>;

  /** Throws ERR_ALREADY_EXISTS when the client id is taken. */
  insertClient(client: OAuthClient): Promise<void>;
  /** Returns false when no such client exists in the tenant. */
  deleteClient(tenantId: string, clientId: string): Promise<boolean>;

  insertApiToken(token: ApiToken): Promise<void>;
  /** Returns false when no such token exists in the tenant. */
  deleteApiToken(tenantId: string, id: string): Promise<boolean>;

  /** Appends an event and returns its id; events can never be changed or deleted. */
  appendAuditEvent(event: NewAuditEvent): Promise<number>;

  setMeta(name: string, value: string): Promise<void>;
  /** Writes this instance's latest counts of the consumers given (its own rows only; others' are untouched). */
  putConsumerSightings(instanceId: string, sightings: readonly ConsumerSighting[]): Promise<void>;
  /** Deletes every instance's sightings last seen before `before` (epoch ms). */
  pruneConsumerSightings(before: number): Promise<void>;

  // Identity providers, the key store and IdP CSRs. Callers check that the tenant exists; the
  // schema checks every other reference.

  /**
   * Throws ERR_ALREADY_EXISTS when (tenantId, id) or (tenantId, name) is taken, and
   * ERR_KEY_STORE_CREDENTIAL_NOT_FOUND when trustKid names no credential of the tenant.
   */
  insertIdentityProvider(idp: IdentityProvider): Promise<void>;
  /** Rewrites every field but the identity and createdAt; same errors as insert, and ERR_IDENTITY_PROVIDER_NOT_FOUND. */
  updateIdentityProvider(idp: IdentityProvider): Promise<void>;
  /** Throws ERR_ALREADY_EXISTS when the kid is taken in the tenant. */
  insertKeyStoreCredential(credential: KeyStoreCredential): Promise<void>;
  /** Replaces the certificate and updatedAt; throws ERR_KEY_STORE_CREDENTIAL_NOT_FOUND. */
  updateKeyStoreCredential(credential: KeyStoreCredential): Promise<void>;
  /**
   * Returns false when no such credential exists; throws ERR_KEY_IN_USE (and deletes nothing)
   * while an identity provider trusts it.
   */
  deleteKeyStoreCredential(tenantId: string, kid: string): Promise<boolean>;
  /** Throws ERR_IDENTITY_PROVIDER_NOT_FOUND when the IdP does not exist, ERR_ALREADY_EXISTS for a taken id. */
  insertIdpCsr(csr: IdpCsr): Promise<void>;
  /** Returns false when no such CSR exists. */
  deleteIdpCsr(tenantId: string, idpId: string, id: string): Promise<boolean>;

  // Webhooks. Lifecycle events and their deliveries are written by appendAuditEvent itself.

  insertWebhook(webhook: Webhook): Promise<void>;
  /** Rewrites every field but the identity and createdAt. */
  updateWebhook(webhook: Webhook): Promise<void>;
  /** Deletes a subscription with its deliveries and attempts; false when none exists in the tenant. */
  deleteWebhook(tenantId: string, id: string): Promise<boolean>;
  /**
   * Leases a pending delivery to `owner` until `leaseUntil` when no live lease holds it; false when
   * another instance holds it or it is no longer pending. An expired lease (its holder died) is taken over.
   */
  claimWebhookDelivery(id: string, owner: string, now: number, leaseUntil: number): Promise<boolean>;
  /**
   * Records an attempt, moves its delivery on while `leaseOwner` still holds it (false otherwise),
   * and counts the subscription's failures in a row.
   */
  completeWebhookAttempt(result: WebhookAttemptResult): Promise<boolean>;
  /** Makes one delivery (by id) or every failed one (null) of a subscription pending now; returns how many. */
  redeliverWebhookDeliveries(webhookId: string, deliveryId: string | null, now: number): Promise<number>;
}

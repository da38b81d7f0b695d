import type { Sealer } from '../crypto/create-sealer.ts';
import type { Custodies } from '../custody/create-custodies.ts';
import { unsealPrivateKey } from '../crypto/unseal-private-key.ts';
import { DEFAULT_ROTATION_POLICY } from '../domain/default-rotation-policy.ts';
import {
  PUBLISHED_STATES,
  type ApiToken,
  type OAuthClient,
  type AuthorizationServer,
  type Key,
  type KeySet,
  type Tenant,
} from '../domain/types.ts';
import type { Store, StoreChange } from '../storage/store.ts';
import { buildKeySetView, type KeySetView } from './build-key-set-view.ts';
import { ALL_KEY, createRefreshLane } from './create-refresh-lane.ts';
import { serializeJwks, type JwksDocument } from './serialize-jwks.ts';

/**
 * What the registry holds of an API token: the hash it is found by and the principal fields it
 * grants (never the token itself, which is not stored anywhere).
 */
export type HeldApiToken = Pick<ApiToken, 'tenantId' | 'id' | 'tokenHash' | 'scopes' | 'authorizationServerIds'>;

/**
 * The in-memory state the hot path reads: tenants, authorization servers, clients, API tokens, and per key
 * set the serialised JWKS and the active key's signer (unsealed on its first token). A JWKS,
 * token or management request never reads the database to authenticate or sign; every change refreshes the affected entries from the store after it commits: the
 * instance that committed calls a refresh before it answers, every other instance gets the change
 * through the store's change feed (`applyChanges`). Refreshes run one at a time (see
 * createRefreshLane), so a late read never overwrites a newer one.
 */
export interface Registry {
  getTenant(id: string): Tenant | undefined;
  findTenantByHost(hostName: string): Tenant | undefined;
  listTenants(): Tenant[];
  getAuthorizationServer(tenantId: string, id: string): AuthorizationServer | undefined;
  getKeySetView(keySetId: string): KeySetView | undefined;
  listKeySetViews(): KeySetView[];
  /** The key sets an authorization server owns. */
  listServerKeySetViews(tenantId: string, authorizationServerId: string): KeySetView[];
  /** The JWKS of an authorization server: the published keys of every key set it owns. */
  getJwks(tenantId: string, authorizationServerId: string): JwksDocument | undefined;
  getClient(clientId: string): OAuthClient | undefined;
  listClientIds(): string[];
  /** The API token whose SHA-256 (base64url) is `tokenHash`: how a management request authenticates without a read. */
  getApiTokenByHash(tokenHash: string): HeldApiToken | undefined;
  getApiToken(id: string): HeldApiToken | undefined;
  listApiTokenIds(): Array<{ tenantId: string; id: string }>;

  /** Loads everything from the store (start-up and reconcile). */
  reloadAll(): Promise<void>;
  refreshTenant(tenantId: string): Promise<void>;
  refreshAuthorizationServer(tenantId: string, id: string): Promise<void>;
  refreshKeySet(keySetId: string): Promise<void>;
  /**
   * Installs a key set and its published keys as a transaction that just committed read them, with
   * no further database read (the committing instance's fast path). Ignored when the registry
   * already holds a newer state of the key set (a larger `updatedAt`).
   */
  installKeySet(keySet: KeySet, publishedKeys: Key[]): void;
  refreshClient(clientId: string): Promise<void>;
  refreshApiToken(tenantId: string, id: string): Promise<void>;
  /** Refreshes exactly what a committed transaction touched; `all` reloads everything. */
  applyChanges(changes: readonly StoreChange[]): Promise<void>;
}

const serverKey = (tenantId: string, id: string): string => `${tenantId}\u0000${id}`;

/**
 * Proves the configured master keys open the stored keys, one active key unsealed per master key
 * id (`proven` collects the ids): signers unseal on their first token (build-key-set-view's
 * lazySigner), and an instance given the wrong master key must still refuse to start rather than
 * fail its first token.
 */
function proveUnsealable(keys: readonly Key[], sealer: Sealer, proven: Set<string>): void {
  for (const key of keys) {
    // A key on a PKCS#11 token has nothing sealed to prove.
    if (key.state !== 'active' || key.sealedPrivateKey === null) continue;
    const masterKeyId = sealer.masterKeyIdOf(key.sealedPrivateKey);
    if (proven.has(masterKeyId)) continue;
    unsealPrivateKey(key, sealer);
    proven.add(masterKeyId);
  }
}

/** Creates the registry over a store; call `reloadAll` before serving. */
export function createRegistry({
  store,
  sealer,
  custodies,
}: {
  store: Store;
  sealer: Sealer;
  custodies: Custodies;
}): Registry {
  const signing = { sealer, custodies };
  const lane = createRefreshLane();
  const tenants = new Map<string, Tenant>();
  const tenantByHost = new Map<string, string>();
  const servers = new Map<string, AuthorizationServer>();
  const views = new Map<string, KeySetView>();
  const jwks = new Map<string, JwksDocument>();
  const clients = new Map<string, OAuthClient>();
  const apiTokens = new Map<string, HeldApiToken>();
  const apiTokenByHash = new Map<string, HeldApiToken>();
  // Key sets per authorization server, so one server's JWKS is rebuilt without scanning every tenant.
  const keySetsByServer = new Map<string, Set<string>>();
  // The views each server's JWKS document was serialised from.
  const builtFrom = new Map<string, readonly KeySetView[]>();

  function setView(view: KeySetView): void {
    views.set(view.keySet.id, view);
    if (view.keySet.ownerType !== 'authorizationServer') return;
    const owner = serverKey(view.keySet.tenantId, view.keySet.ownerId);
    let ids = keySetsByServer.get(owner);
    if (!ids) keySetsByServer.set(owner, (ids = new Set()));
    ids.add(view.keySet.id);
  }

  function indexTenant(tenant: Tenant): void {
    const previous = tenants.get(tenant.id);
    for (const host of previous?.hostNames ?? []) tenantByHost.delete(host.toLowerCase());
    tenants.set(tenant.id, tenant);
    for (const host of tenant.hostNames) tenantByHost.set(host.toLowerCase(), tenant.id);
  }

  function holdApiToken(token: ApiToken): void {
    dropApiToken(token.id);
    const held: HeldApiToken = {
      tenantId: token.tenantId,
      id: token.id,
      tokenHash: token.tokenHash,
      scopes: token.scopes,
      authorizationServerIds: token.authorizationServerIds,
    };
    apiTokens.set(held.id, held);
    apiTokenByHash.set(held.tokenHash, held);
  }

  function dropApiToken(id: string): void {
    const held = apiTokens.get(id);
    if (!held) return;
    apiTokens.delete(id);
    apiTokenByHash.delete(held.tokenHash);
  }

  function ownedViews(tenantId: string, serverId: string): KeySetView[] {
    const ids = keySetsByServer.get(serverKey(tenantId, serverId)) ?? new Set<string>();
    return [...ids].map((id) => views.get(id)).filter((view): view is KeySetView => view !== undefined);
  }

  function rebuildJwks(tenantId: string, serverId: string): void {
    const key = serverKey(tenantId, serverId);
    const owned = ownedViews(tenantId, serverId);
    // A reload that kept every view (start-up reads twice, reconciles read everything) keeps the
    // bytes too: re-serialising each tenant's JWKS only made garbage.
    const previous = builtFrom.get(key);
    if (previous?.length === owned.length && owned.every((view, i) => view === previous[i]) && jwks.has(key)) return;
    jwks.set(key, serializeJwks(owned, DEFAULT_ROTATION_POLICY.jwksMaxAgeSeconds));
    builtFrom.set(key, owned);
  }

  /**
   * Every change of a key set's keys moves its `updatedAt` forward under the key set's lock, so it
   * orders the states of one key set: an older state (a read that started before the committing
   * instance installed its own result) never replaces a newer one. Returns whether it installed.
   */
  function install(keySet: KeySet, publishedKeys: Key[]): boolean {
    const previous = views.get(keySet.id);
    if (previous && previous.keySet.updatedAt >= keySet.updatedAt) return false;
    setView(buildKeySetView(keySet, publishedKeys, signing, previous));
    return true;
  }

  const registry: Registry = {
    getTenant: (id) => tenants.get(id),
    findTenantByHost: (hostName) => {
      const id = tenantByHost.get(hostName.toLowerCase());
      return id === undefined ? undefined : tenants.get(id);
    },
    listTenants: () => [...tenants.values()],
    getAuthorizationServer: (tenantId, id) => servers.get(serverKey(tenantId, id)),
    getKeySetView: (keySetId) => views.get(keySetId),
    listKeySetViews: () => [...views.values()],
    listServerKeySetViews: (tenantId, id) => ownedViews(tenantId, id),
    getJwks: (tenantId, id) => jwks.get(serverKey(tenantId, id)),
    getClient: (clientId) => clients.get(clientId),
    listClientIds: () => [...clients.keys()],
    getApiTokenByHash: (tokenHash) => apiTokenByHash.get(tokenHash),
    getApiToken: (id) => apiTokens.get(id),
    listApiTokenIds: () => [...apiTokens.values()].map(({ tenantId, id }) => ({ tenantId, id })),

    reloadAll: () => lane.run(ALL_KEY, reloadAll),
    refreshTenant: (tenantId) => lane.run(`tenant:${tenantId}`, () => refreshTenant(tenantId)),
    refreshAuthorizationServer: (tenantId, id) =>
      lane.run(`server:${serverKey(tenantId, id)}`, () => refreshAuthorizationServer(tenantId, id)),
    refreshKeySet: (keySetId) => lane.run(`keySet:${keySetId}`, () => refreshKeySet(keySetId)),
    installKeySet(keySet, publishedKeys) {
      if (install(keySet, publishedKeys) && keySet.ownerType === 'authorizationServer')
        rebuildJwks(keySet.tenantId, keySet.ownerId);
    },
    refreshClient: (clientId) => lane.run(`client:${clientId}`, () => refreshClient(clientId)),
    refreshApiToken: (tenantId, id) => lane.run(`apiToken:${id}`, () => refreshApiToken(tenantId, id)),

    async applyChanges(changes) {
      const refreshes: Promise<void>[] = [];
      for (const change of changes) {
        switch (change.entity) {
          case 'all':
            refreshes.push(registry.reloadAll());
            break;
          case 'tenant':
            refreshes.push(registry.refreshTenant(change.id));
            break;
          case 'authorizationServer':
            refreshes.push(registry.refreshAuthorizationServer(change.tenantId, change.id));
            break;
          case 'keySet':
            refreshes.push(registry.refreshKeySet(change.id));
            break;
          case 'client':
            refreshes.push(registry.refreshClient(change.id));
            break;
          case 'apiToken':
            refreshes.push(registry.refreshApiToken(change.tenantId, change.id));
            break;
        }
      }
      await Promise.all(refreshes);
    },
  };
  return registry;

  async function reloadAll(): Promise<void> {
    const snapshot = await store.read(async (reader) => {
      const allTenants = await reader.listTenants();
      const allServers = await reader.listAuthorizationServers();
      const keySets = await reader.listKeySets({});
      // Each key set's view is built as soon as its keys are read, so the rows (sealed keys, JSON)
      // die young instead of all living until the end: at 10,000 tenants holding them grew the heap
      // by tens of megabytes that stayed resident. An unchanged key set keeps its view unread.
      const proven = new Set<string>();
      const built: KeySetView[] = [];
      for (const keySet of keySets) {
        const previous = views.get(keySet.id);
        if (previous && previous.keySet.updatedAt >= keySet.updatedAt) {
          built.push(previous);
          continue;
        }
        const keys = await reader.listKeys(keySet.id, PUBLISHED_STATES);
        proveUnsealable(keys, sealer, proven);
        built.push(buildKeySetView(keySet, keys, signing, previous));
      }
      const allClients = await reader.listClients();
      return { allTenants, allServers, built, allClients, allApiTokens: await reader.listApiTokens() };
    });
    tenants.clear();
    tenantByHost.clear();
    for (const tenant of snapshot.allTenants) indexTenant(tenant);
    servers.clear();
    for (const server of snapshot.allServers) servers.set(serverKey(server.tenantId, server.id), server);
    const current = new Map(views);
    views.clear();
    keySetsByServer.clear();
    for (const view of snapshot.built) {
      // A newer state installed meanwhile by this instance's own write is never replaced by the older snapshot.
      const installed = current.get(view.keySet.id);
      setView(installed && installed.keySet.updatedAt > view.keySet.updatedAt ? installed : view);
    }
    const serverKeys = new Set(snapshot.allServers.map((server) => serverKey(server.tenantId, server.id)));
    for (const key of jwks.keys()) {
      if (serverKeys.has(key)) continue;
      jwks.delete(key);
      builtFrom.delete(key);
    }
    for (const server of snapshot.allServers) rebuildJwks(server.tenantId, server.id);
    clients.clear();
    for (const client of snapshot.allClients) clients.set(client.clientId, client);
    apiTokens.clear();
    apiTokenByHash.clear();
    for (const token of snapshot.allApiTokens) holdApiToken(token);
  }

  async function refreshTenant(tenantId: string): Promise<void> {
    const tenant = await store.read((reader) => reader.getTenant(tenantId));
    if (tenant) indexTenant(tenant);
  }

  async function refreshAuthorizationServer(tenantId: string, id: string): Promise<void> {
    const server = await store.read((reader) => reader.getAuthorizationServer(tenantId, id));
    if (server) servers.set(serverKey(tenantId, id), server);
    else servers.delete(serverKey(tenantId, id));
    rebuildJwks(tenantId, id);
  }

  async function refreshKeySet(keySetId: string): Promise<void> {
    const loaded = await store.read(async (reader) => {
      const keySet = await reader.getKeySet(keySetId);
      return keySet ? { keySet, keys: await reader.listKeys(keySetId, PUBLISHED_STATES) } : undefined;
    });
    const held = views.get(keySetId)?.keySet;
    if (!loaded) views.delete(keySetId);
    // Unchanged (this instance installed it already): the JWKS stays as serialised.
    else if (!install(loaded.keySet, loaded.keys)) return;
    const keySet = loaded?.keySet ?? held;
    if (keySet?.ownerType === 'authorizationServer') rebuildJwks(keySet.tenantId, keySet.ownerId);
  }

  async function refreshClient(clientId: string): Promise<void> {
    const client = await store.read((reader) => reader.getClient(clientId));
    if (client) clients.set(clientId, client);
    else clients.delete(clientId);
  }

  async function refreshApiToken(tenantId: string, id: string): Promise<void> {
    const token = await store.read((reader) => reader.getApiToken(tenantId, id));
    if (token) holdApiToken(token);
    else dropApiToken(id);
  }
}

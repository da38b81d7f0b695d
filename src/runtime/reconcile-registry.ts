import type { ApiToken, OAuthClient, Tenant } from '../domain/types.ts';
import type { Store } from '../storage/store.ts';
import type { HeldApiToken, Registry } from './create-registry.ts';

/** What a reconcile pass found out of date and refreshed. */
export interface ReconcileResult {
  tenants: number;
  authorizationServers: number;
  keySets: number;
  clients: number;
  apiTokens: number;
}

const sameTenant = (a: Tenant, b: Tenant): boolean =>
  a.displayName === b.displayName && a.hostNames.join(' ') === b.hostNames.join(' ');
const sameClient = (a: OAuthClient, b: OAuthClient): boolean =>
  a.tenantId === b.tenantId &&
  a.secretHash === b.secretHash &&
  a.name === b.name &&
  a.scopes.join(' ') === b.scopes.join(' ');
const sameApiToken = (held: HeldApiToken, row: ApiToken): boolean =>
  held.tenantId === row.tenantId &&
  held.tokenHash === row.tokenHash &&
  held.scopes.join(' ') === row.scopes.join(' ') &&
  JSON.stringify(held.authorizationServerIds) === JSON.stringify(row.authorizationServerIds);

/**
 * Compares the registry with the database row by row, without loading any key, and refreshes
 * only what differs: a change whose notification was lost (or whose refresh failed while the
 * database was away) is caught here. Key sets compare by `updatedAt`, which every change of their
 * keys moves forward: 10,000 unchanged tenants cost five queries, no key read and no unsealing.
 */
export async function reconcileRegistry(store: Store, registry: Registry): Promise<ReconcileResult> {
  const rows = await store.read(async (reader) => {
    const tenants = await reader.listTenants();
    const servers = await reader.listAuthorizationServers();
    const keySets = await reader.listKeySets({});
    return { tenants, servers, keySets, clients: await reader.listClients(), apiTokens: await reader.listApiTokens() };
  });
  const refreshes: Promise<void>[] = [];
  const result: ReconcileResult = { tenants: 0, authorizationServers: 0, keySets: 0, clients: 0, apiTokens: 0 };

  const tenantIds = new Set(rows.tenants.map((tenant) => tenant.id));
  for (const tenant of rows.tenants) {
    const held = registry.getTenant(tenant.id);
    if (held && sameTenant(held, tenant)) continue;
    result.tenants += 1;
    refreshes.push(registry.refreshTenant(tenant.id));
  }
  // A tenant gone from the database needs a full reload; one covers every such tenant.
  if (registry.listTenants().some((held) => !tenantIds.has(held.id))) refreshes.push(registry.reloadAll());
  for (const server of rows.servers) {
    const held = registry.getAuthorizationServer(server.tenantId, server.id);
    if (held && JSON.stringify(held) === JSON.stringify(server)) continue;
    result.authorizationServers += 1;
    refreshes.push(registry.refreshAuthorizationServer(server.tenantId, server.id));
  }
  const keySetIds = new Set(rows.keySets.map((keySet) => keySet.id));
  for (const keySet of rows.keySets) {
    if (registry.getKeySetView(keySet.id)?.keySet.updatedAt === keySet.updatedAt) continue;
    result.keySets += 1;
    refreshes.push(registry.refreshKeySet(keySet.id));
  }
  for (const view of registry.listKeySetViews()) {
    if (keySetIds.has(view.keySet.id)) continue;
    result.keySets += 1;
    refreshes.push(registry.refreshKeySet(view.keySet.id));
  }
  const clientIds = new Set(rows.clients.map((client) => client.clientId));
  for (const client of rows.clients) {
    const held = registry.getClient(client.clientId);
    if (held && sameClient(held, client)) continue;
    result.clients += 1;
    refreshes.push(registry.refreshClient(client.clientId));
  }
  for (const clientId of registry.listClientIds()) {
    if (clientIds.has(clientId)) continue;
    result.clients += 1;
    refreshes.push(registry.refreshClient(clientId));
  }
  const apiTokenIds = new Set(rows.apiTokens.map((token) => token.id));
  for (const token of rows.apiTokens) {
    const held = registry.getApiToken(token.id);
    if (held && sameApiToken(held, token)) continue;
    result.apiTokens += 1;
    refreshes.push(registry.refreshApiToken(token.tenantId, token.id));
  }
  for (const { tenantId, id } of registry.listApiTokenIds()) {
    if (apiTokenIds.has(id)) continue;
    result.apiTokens += 1;
    refreshes.push(registry.refreshApiToken(tenantId, id));
  }
  await Promise.all(refreshes);
  return result;
}

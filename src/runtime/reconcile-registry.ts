import type { OAuthClient, Tenant } from '../domain/types.ts';
import type { Store } from '../storage/store.ts';
import type { Registry } from './create-registry.ts';

/** What a reconcile pass found out of date and refreshed. */
export interface ReconcileResult {
  tenants: number;
  authorizationServers: number;
  keySets: number;
  clients: number;
}

const sameTenant = (a: Tenant, b: Tenant): boolean =>
  a.displayName === b.displayName && a.hostNames.join(' ') === b.hostNames.join(' ');
const sameClient = (a: OAuthClient, b: OAuthClient): boolean =>
  a.tenantId === b.tenantId &&
  a.secretHash === b.secretHash &&
  a.name === b.name &&
  a.scopes.join(' ') === b.scopes.join(' ');

/**
 * Compares the registry with the database row by row, without loading any key, and refreshes
 * only what differs: a change whose notification was lost (or whose refresh failed while the
 * database was away) is caught here. Key sets compare by `updatedAt`, which every change of their
 * keys moves forward: 10,000 unchanged tenants cost four queries, no key read and no unsealing.
 */
export async function reconcileRegistry(store: Store, registry: Registry): Promise<ReconcileResult> {
  const rows = await store.read(async (reader) => {
    const tenants = await reader.listTenants();
    const servers = await reader.listAuthorizationServers();
    return { tenants, servers, keySets: await reader.listKeySets({}), clients: await reader.listClients() };
  });
  const refreshes: Promise<void>[] = [];
  const result: ReconcileResult = { tenants: 0, authorizationServers: 0, keySets: 0, clients: 0 };

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
  await Promise.all(refreshes);
  return result;
}

import type { StoreChange, StoreTx } from './store.ts';

/** A transaction that notes what it writes, and the changes to announce once it commits. */
export interface RecordedTx {
  tx: StoreTx;
  /** The changes written so far, one per entity; call inside the transaction (it may read). */
  changes(): Promise<StoreChange[]>;
}

/**
 * Wraps a transaction so every write notes the entity it touched, for `Store.subscribe`. Any
 * adapter can use it: the changes follow from the port's write methods, so no use case has to
 * remember to announce what it did. Key writes name their key set; its tenant is looked up once.
 */
export function recordChanges(tx: StoreTx): RecordedTx {
  const noted = new Map<string, StoreChange>();
  const keySetTenants = new Map<string, string>();
  const unresolvedKeySets = new Set<string>();

  function note(entity: 'tenant' | 'authorizationServer' | 'client' | 'apiToken', tenantId: string, id: string): void {
    noted.set(`${entity}:${tenantId}:${id}`, { entity, tenantId, id });
  }
  function noteKeySet(id: string, tenantId?: string): void {
    if (tenantId !== undefined) keySetTenants.set(id, tenantId);
    if (!keySetTenants.has(id)) unresolvedKeySets.add(id);
    else unresolvedKeySets.delete(id);
    noted.set(`keySet:${id}`, { entity: 'keySet', tenantId: keySetTenants.get(id) ?? '', id });
  }

  const recorded: StoreTx = {
    ...tx,
    async lockKeySet(id) {
      const keySet = await tx.lockKeySet(id);
      if (keySet) keySetTenants.set(keySet.id, keySet.tenantId);
      return keySet;
    },
    async insertTenant(tenant) {
      await tx.insertTenant(tenant);
      note('tenant', tenant.id, tenant.id);
    },
    async updateTenant(tenant) {
      await tx.updateTenant(tenant);
      note('tenant', tenant.id, tenant.id);
    },
    async insertAuthorizationServer(server) {
      await tx.insertAuthorizationServer(server);
      note('authorizationServer', server.tenantId, server.id);
    },
    async updateAuthorizationServer(server) {
      await tx.updateAuthorizationServer(server);
      note('authorizationServer', server.tenantId, server.id);
    },
    async insertKeySet(keySet) {
      await tx.insertKeySet(keySet);
      noteKeySet(keySet.id, keySet.tenantId);
    },
    async updateKeySet(keySet) {
      await tx.updateKeySet(keySet);
      noteKeySet(keySet.id, keySet.tenantId);
    },
    async insertKey(key) {
      await tx.insertKey(key);
      noteKeySet(key.keySetId);
    },
    async updateKey(key) {
      await tx.updateKey(key);
      noteKeySet(key.keySetId);
    },
    async insertClient(client) {
      await tx.insertClient(client);
      note('client', client.tenantId, client.clientId);
    },
    async deleteClient(tenantId, clientId) {
      const deleted = await tx.deleteClient(tenantId, clientId);
      if (deleted) note('client', tenantId, clientId);
      return deleted;
    },
    async insertApiToken(token) {
      await tx.insertApiToken(token);
      note('apiToken', token.tenantId, token.id);
    },
    async deleteApiToken(tenantId, id) {
      const deleted = await tx.deleteApiToken(tenantId, id);
      if (deleted) note('apiToken', tenantId, id);
      return deleted;
    },
  };

  return {
    tx: recorded,
    async changes() {
      for (const id of unresolvedKeySets) {
        const keySet = await tx.getKeySet(id);
        noteKeySet(id, keySet?.tenantId ?? '');
      }
      return [...noted.values()];
    },
  };
}

import type { SQLInputValue } from 'node:sqlite';
import type { Tenant } from '../../domain/types.ts';
import type { AuditFilter, KeySetFilter, StoreReader } from '../store.ts';
import type { SqliteSession } from './create-sqlite-session.ts';
import {
  toOAuthClient,
  toApiToken,
  toAuditEvent,
  toAuthorizationServer,
  toIdentityProvider,
  toIdpCsr,
  toKey,
  toKeySet,
  toKeyStoreCredential,
  toTenant,
  type ApiClientRow,
  type ApiTokenRow,
  type AuditEventRow,
  type AuthorizationServerRow,
  type IdentityProviderRow,
  type IdpCsrRow,
  type KeyRow,
  type KeySetRow,
  type KeyStoreCredentialRow,
  type TenantRow,
} from '../rows.ts';

/** Implements the read half of the port over one session. */
export function createSqliteReader(session: SqliteSession): StoreReader {
  function withHostNames(row: TenantRow): Tenant {
    const hostNames = session.all<{ host_name: string }>(
      'SELECT host_name FROM tenant_host_names WHERE tenant_id = ? ORDER BY host_name',
      [row.id],
    );
    return toTenant(
      row,
      hostNames.map((host) => host.host_name),
    );
  }

  return {
    async getTenant(id) {
      const row = session.get<TenantRow>('SELECT * FROM tenants WHERE id = ?', [id]);
      return row && withHostNames(row);
    },

    async findTenantByHost(hostName) {
      // The column's NOCASE collation makes this comparison case-insensitive.
      const row = session.get<TenantRow>(
        'SELECT t.* FROM tenants t JOIN tenant_host_names h ON h.tenant_id = t.id WHERE h.host_name = ?',
        [hostName],
      );
      return row && withHostNames(row);
    },

    async listTenants() {
      const rows = session.all<TenantRow>('SELECT * FROM tenants ORDER BY created_at, id');
      const hosts = session.all<{ tenant_id: string; host_name: string }>(
        'SELECT tenant_id, host_name FROM tenant_host_names ORDER BY host_name',
      );
      const byTenant = Map.groupBy(hosts, (host) => host.tenant_id);
      return rows.map((row) =>
        toTenant(
          row,
          (byTenant.get(row.id) ?? []).map((host) => host.host_name),
        ),
      );
    },

    async getAuthorizationServer(tenantId, id) {
      const row = session.get<AuthorizationServerRow>(
        'SELECT * FROM authorization_servers WHERE tenant_id = ? AND id = ?',
        [tenantId, id],
      );
      return row && toAuthorizationServer(row);
    },

    async listAuthorizationServers(tenantId) {
      const where = whereClause({ tenant_id: tenantId });
      return session
        .all<AuthorizationServerRow>(
          `SELECT * FROM authorization_servers${where.sql} ORDER BY created_at, id`,
          where.params,
        )
        .map(toAuthorizationServer);
    },

    async getKeySet(id) {
      const row = session.get<KeySetRow>('SELECT * FROM key_sets WHERE id = ?', [id]);
      return row && toKeySet(row);
    },

    async listKeySets(filter: KeySetFilter) {
      const where = whereClause({ tenant_id: filter.tenantId, owner_type: filter.ownerType, owner_id: filter.ownerId });
      return session
        .all<KeySetRow>(`SELECT * FROM key_sets${where.sql} ORDER BY created_at, id`, where.params)
        .map(toKeySet);
    },

    async listKeys(keySetId, states) {
      if (states?.length === 0) return [];
      const stateFilter = states ? ` AND state IN (${states.map(() => '?').join(', ')})` : '';
      return session
        .all<KeyRow>(`SELECT * FROM keys WHERE key_set_id = ?${stateFilter} ORDER BY created_at, kid`, [
          keySetId,
          ...(states ?? []),
        ])
        .map(toKey);
    },

    async getKey(keySetId, kid) {
      const row = session.get<KeyRow>('SELECT * FROM keys WHERE key_set_id = ? AND kid = ?', [keySetId, kid]);
      return row && toKey(row);
    },

    async getClient(clientId) {
      const row = session.get<ApiClientRow>('SELECT * FROM api_clients WHERE client_id = ?', [clientId]);
      return row && toOAuthClient(row);
    },

    async listClients(tenantId) {
      const where = whereClause({ tenant_id: tenantId });
      return session
        .all<ApiClientRow>(`SELECT * FROM api_clients${where.sql} ORDER BY created_at, client_id`, where.params)
        .map(toOAuthClient);
    },

    async getApiTokenByHash(tokenHash) {
      const row = session.get<ApiTokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?', [tokenHash]);
      return row && toApiToken(row);
    },

    async listApiTokens(tenantId) {
      return session
        .all<ApiTokenRow>('SELECT * FROM api_tokens WHERE tenant_id = ? ORDER BY created_at, id', [tenantId])
        .map(toApiToken);
    },

    async listAuditEvents(filter: AuditFilter) {
      const limit = Math.floor(filter.limit);
      // SQLite reads a negative LIMIT as "no limit"; an empty page is what was asked for.
      if (!(limit > 0)) return [];
      const conditions: string[] = ['tenant_id = ?'];
      const params: SQLInputValue[] = [filter.tenantId];
      const add = (condition: string, value: SQLInputValue | undefined): void => {
        if (value === undefined) return;
        conditions.push(condition);
        params.push(value);
      };
      add('key_set_id = ?', filter.keySetId);
      add('kid = ?', filter.kid);
      add('action = ?', filter.action);
      add('at >= ?', filter.since);
      add('at < ?', filter.until);
      add('id < ?', filter.beforeId);
      return session
        .all<AuditEventRow>(`SELECT * FROM audit_events WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT ?`, [
          ...params,
          limit,
        ])
        .map(toAuditEvent);
    },

    async getMeta(name) {
      return session.get<{ value: string }>('SELECT value FROM meta WHERE name = ?', [name])?.value;
    },

    async getIdentityProvider(tenantId, id) {
      const row = session.get<IdentityProviderRow>('SELECT * FROM identity_providers WHERE tenant_id = ? AND id = ?', [
        tenantId,
        id,
      ]);
      return row && toIdentityProvider(row);
    },

    async listIdentityProviders(tenantId) {
      return session
        .all<IdentityProviderRow>('SELECT * FROM identity_providers WHERE tenant_id = ? ORDER BY created_at, id', [
          tenantId,
        ])
        .map(toIdentityProvider);
    },

    async getKeyStoreCredential(tenantId, kid) {
      const row = session.get<KeyStoreCredentialRow>(
        'SELECT * FROM key_store_credentials WHERE tenant_id = ? AND kid = ?',
        [tenantId, kid],
      );
      return row && toKeyStoreCredential(row);
    },

    async listKeyStoreCredentials(tenantId, page) {
      const limit = Math.floor(page.limit);
      if (!(limit > 0)) return [];
      const after = page.after;
      const rows = after
        ? session.all<KeyStoreCredentialRow>(
            `SELECT * FROM key_store_credentials WHERE tenant_id = ? AND (created_at > ? OR (created_at = ? AND kid > ?))
           ORDER BY created_at, kid LIMIT ?`,
            [tenantId, after.createdAt, after.createdAt, after.kid, limit],
          )
        : session.all<KeyStoreCredentialRow>(
            'SELECT * FROM key_store_credentials WHERE tenant_id = ? ORDER BY created_at, kid LIMIT ?',
            [tenantId, limit],
          );
      return rows.map(toKeyStoreCredential);
    },

    async getIdpCsr(tenantId, idpId, id) {
      const row = session.get<IdpCsrRow>('SELECT * FROM idp_csrs WHERE tenant_id = ? AND idp_id = ? AND id = ?', [
        tenantId,
        idpId,
        id,
      ]);
      return row && toIdpCsr(row);
    },

    async listIdpCsrs(tenantId, idpId) {
      return session
        .all<IdpCsrRow>('SELECT * FROM idp_csrs WHERE tenant_id = ? AND idp_id = ? ORDER BY created_at, id', [
          tenantId,
          idpId,
        ])
        .map(toIdpCsr);
    },
  };
}

/** ` WHERE a = ? AND b = ?` over the columns whose value is defined, and its parameters. */
function whereClause(columns: Record<string, string | undefined>): { sql: string; params: SQLInputValue[] } {
  const defined = Object.entries(columns).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (defined.length === 0) return { sql: '', params: [] };
  return {
    sql: ` WHERE ${defined.map(([column]) => `${column} = ?`).join(' AND ')}`,
    params: defined.map(([, value]) => value),
  };
}

import type { Tenant } from '../../domain/types.ts';
import type { AuditFilter, KeySetFilter, StoreReader } from '../store.ts';
import type { PostgresSession } from './create-postgres-session.ts';
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
export function createPostgresReader(session: PostgresSession): StoreReader {
  async function withHostNames(row: TenantRow): Promise<Tenant> {
    const hostNames = await session.all<{ host_name: string }>(
      'SELECT host_name FROM tenant_host_names WHERE tenant_id = $1 ORDER BY host_name',
      [row.id],
    );
    return toTenant(
      row,
      hostNames.map((host) => host.host_name),
    );
  }

  return {
    async getTenant(id) {
      const row = await session.get<TenantRow>('SELECT * FROM tenants WHERE id = $1', [id]);
      return row && withHostNames(row);
    },

    async findTenantByHost(hostName) {
      // The unique index on lower(host_name) serves this case-insensitive comparison.
      const row = await session.get<TenantRow>(
        'SELECT t.* FROM tenants t JOIN tenant_host_names h ON h.tenant_id = t.id WHERE lower(h.host_name) = lower($1)',
        [hostName],
      );
      return row && withHostNames(row);
    },

    async listTenants() {
      const rows = await session.all<TenantRow>('SELECT * FROM tenants ORDER BY created_at, id');
      const hosts = await session.all<{ tenant_id: string; host_name: string }>(
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
      const row = await session.get<AuthorizationServerRow>(
        'SELECT * FROM authorization_servers WHERE tenant_id = $1 AND id = $2',
        [tenantId, id],
      );
      return row && toAuthorizationServer(row);
    },

    async listAuthorizationServers(tenantId) {
      const where = whereClause({ tenant_id: tenantId });
      return (
        await session.all<AuthorizationServerRow>(
          `SELECT * FROM authorization_servers${where.sql} ORDER BY created_at, id`,
          where.params,
        )
      ).map(toAuthorizationServer);
    },

    async getKeySet(id) {
      const row = await session.get<KeySetRow>('SELECT * FROM key_sets WHERE id = $1', [id]);
      return row && toKeySet(row);
    },

    async listKeySets(filter: KeySetFilter) {
      const where = whereClause({ tenant_id: filter.tenantId, owner_type: filter.ownerType, owner_id: filter.ownerId });
      return (
        await session.all<KeySetRow>(`SELECT * FROM key_sets${where.sql} ORDER BY created_at, id`, where.params)
      ).map(toKeySet);
    },

    async listKeys(keySetId, states) {
      if (states?.length === 0) return [];
      const rows = states
        ? await session.all<KeyRow>(
            'SELECT * FROM keys WHERE key_set_id = $1 AND state = ANY($2::text[]) ORDER BY created_at, kid',
            [keySetId, states],
          )
        : await session.all<KeyRow>('SELECT * FROM keys WHERE key_set_id = $1 ORDER BY created_at, kid', [keySetId]);
      return rows.map(toKey);
    },

    async getKey(keySetId, kid) {
      const row = await session.get<KeyRow>('SELECT * FROM keys WHERE key_set_id = $1 AND kid = $2', [keySetId, kid]);
      return row && toKey(row);
    },

    async getClient(clientId) {
      const row = await session.get<ApiClientRow>('SELECT * FROM api_clients WHERE client_id = $1', [clientId]);
      return row && toOAuthClient(row);
    },

    async listClients(tenantId) {
      const where = whereClause({ tenant_id: tenantId });
      return (
        await session.all<ApiClientRow>(
          `SELECT * FROM api_clients${where.sql} ORDER BY created_at, client_id`,
          where.params,
        )
      ).map(toOAuthClient);
    },

    async getApiTokenByHash(tokenHash) {
      const row = await session.get<ApiTokenRow>('SELECT * FROM api_tokens WHERE token_hash = $1', [tokenHash]);
      return row && toApiToken(row);
    },

    async listApiTokens(tenantId) {
      return (
        await session.all<ApiTokenRow>('SELECT * FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at, id', [
          tenantId,
        ])
      ).map(toApiToken);
    },

    async listAuditEvents(filter: AuditFilter) {
      const limit = Math.floor(filter.limit);
      if (!(limit > 0)) return [];
      const conditions: string[] = [];
      const params: unknown[] = [];
      const add = (column: string, operator: string, value: string | number | undefined): void => {
        if (value === undefined) return;
        params.push(value);
        conditions.push(`${column} ${operator} $${params.length}`);
      };
      add('tenant_id', '=', filter.tenantId);
      add('key_set_id', '=', filter.keySetId);
      add('kid', '=', filter.kid);
      add('action', '=', filter.action);
      add('at', '>=', toBigintBound(filter.since));
      add('at', '<', toBigintBound(filter.until));
      add('id', '<', toBigintBound(filter.beforeId));
      params.push(limit);
      return (
        await session.all<AuditEventRow>(
          `SELECT * FROM audit_events WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
          params,
        )
      ).map(toAuditEvent);
    },

    async getMeta(name) {
      return (await session.get<{ value: string }>('SELECT value FROM meta WHERE name = $1', [name]))?.value;
    },

    async getIdentityProvider(tenantId, id) {
      const row = await session.get<IdentityProviderRow>(
        'SELECT * FROM identity_providers WHERE tenant_id = $1 AND id = $2',
        [tenantId, id],
      );
      return row && toIdentityProvider(row);
    },

    async listIdentityProviders(tenantId) {
      return (
        await session.all<IdentityProviderRow>(
          'SELECT * FROM identity_providers WHERE tenant_id = $1 ORDER BY created_at, id',
          [tenantId],
        )
      ).map(toIdentityProvider);
    },

    async getKeyStoreCredential(tenantId, kid) {
      const row = await session.get<KeyStoreCredentialRow>(
        'SELECT * FROM key_store_credentials WHERE tenant_id = $1 AND kid = $2',
        [tenantId, kid],
      );
      return row && toKeyStoreCredential(row);
    },

    async listKeyStoreCredentials(tenantId, page) {
      const limit = Math.floor(page.limit);
      if (!(limit > 0)) return [];
      const after = page.after;
      const rows = after
        ? await session.all<KeyStoreCredentialRow>(
            `SELECT * FROM key_store_credentials WHERE tenant_id = $1 AND (created_at, kid) > ($2, $3)
           ORDER BY created_at, kid LIMIT $4`,
            [tenantId, after.createdAt, after.kid, limit],
          )
        : await session.all<KeyStoreCredentialRow>(
            'SELECT * FROM key_store_credentials WHERE tenant_id = $1 ORDER BY created_at, kid LIMIT $2',
            [tenantId, limit],
          );
      return rows.map(toKeyStoreCredential);
    },

    async getIdpCsr(tenantId, idpId, id) {
      const row = await session.get<IdpCsrRow>(
        'SELECT * FROM idp_csrs WHERE tenant_id = $1 AND idp_id = $2 AND id = $3',
        [tenantId, idpId, id],
      );
      return row && toIdpCsr(row);
    },

    async listIdpCsrs(tenantId, idpId) {
      return (
        await session.all<IdpCsrRow>(
          'SELECT * FROM idp_csrs WHERE tenant_id = $1 AND idp_id = $2 ORDER BY created_at, id',
          [tenantId, idpId],
        )
      ).map(toIdpCsr);
    },
  };
}

/**
 * A bound of a `>=` or `<` comparison with a BIGINT column, which refuses fractions and values past
 * 2^63: for an integer column `x >= v` is `x >= ceil(v)` and `x < v` is `x < ceil(v)`, and every
 * stored value (epoch ms, ids) lies within the safe integers, so clamping to them changes nothing.
 */
function toBigintBound(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(Number.MIN_SAFE_INTEGER, Math.ceil(value)));
}

/** ` WHERE a = $1 AND b = $2` over the columns whose value is defined, and its parameters. */
function whereClause(columns: Record<string, string | undefined>): { sql: string; params: string[] } {
  const defined = Object.entries(columns).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (defined.length === 0) return { sql: '', params: [] };
  return {
    sql: ` WHERE ${defined.map(([column], index) => `${column} = $${index + 1}`).join(' AND ')}`,
    params: defined.map(([, value]) => value),
  };
}

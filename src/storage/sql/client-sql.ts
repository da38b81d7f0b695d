import {
  oauthClientParams,
  apiTokenParams,
  toOAuthClient,
  toApiToken,
  type ApiClientRow,
  type ApiTokenRow,
} from '../rows.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';
import { selectWhere } from './select-where.ts';

/** The reads and writes of the credentials callers present: OAuth clients and management API tokens. */
export function clientSql({ session, write, insert }: SqlContext) {
  const reads = {
    async getClient(clientId) {
      const row = await session.get<ApiClientRow>('SELECT * FROM api_clients WHERE client_id = :client_id', {
        client_id: clientId,
      });
      return row && toOAuthClient(row);
    },

    async listClients(tenantId) {
      const rows = await selectWhere<ApiClientRow>(
        session,
        'api_clients',
        { tenant_id: tenantId },
        'created_at, client_id',
      );
      return rows.map(toOAuthClient);
    },

    async getApiTokenByHash(tokenHash) {
      const row = await session.get<ApiTokenRow>('SELECT * FROM api_tokens WHERE token_hash = :token_hash', {
        token_hash: tokenHash,
      });
      return row && toApiToken(row);
    },

    async getApiToken(tenantId, id) {
      const row = await session.get<ApiTokenRow>('SELECT * FROM api_tokens WHERE tenant_id = :tenant_id AND id = :id', {
        tenant_id: tenantId,
        id,
      });
      return row && toApiToken(row);
    },

    async listApiTokens(tenantId) {
      const rows = await selectWhere<ApiTokenRow>(session, 'api_tokens', { tenant_id: tenantId }, 'created_at, id');
      return rows.map(toApiToken);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async insertClient(client) {
      await insert('api_clients', oauthClientParams(client), {
        label: `client ${client.clientId}`,
        details: { tenantId: client.tenantId, clientId: client.clientId },
      });
    },

    async deleteClient(tenantId, clientId) {
      const deleted = await write(
        'DELETE FROM api_clients WHERE tenant_id = :tenant_id AND client_id = :client_id',
        { tenant_id: tenantId, client_id: clientId },
        { label: `client ${clientId}`, details: { tenantId, clientId } },
      );
      return deleted.changes > 0;
    },

    async insertApiToken(token) {
      await insert('api_tokens', apiTokenParams(token), {
        label: `API token ${token.id}`,
        details: { tenantId: token.tenantId, apiTokenId: token.id },
      });
    },

    async deleteApiToken(tenantId, id) {
      const deleted = await write(
        'DELETE FROM api_tokens WHERE tenant_id = :tenant_id AND id = :id',
        { tenant_id: tenantId, id },
        { label: `API token ${id}`, details: { tenantId, apiTokenId: id } },
      );
      return deleted.changes > 0;
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

import { SignetError } from '../../errors.ts';
import { authorizationServerParams, toAuthorizationServer, type AuthorizationServerRow } from '../rows.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';
import { selectWhere } from './select-where.ts';

/** The reads and writes of authorization servers. */
export function authorizationServerSql({ session, write, insert }: SqlContext) {
  const reads = {
    async getAuthorizationServer(tenantId, id) {
      const row = await session.get<AuthorizationServerRow>(
        'SELECT * FROM authorization_servers WHERE tenant_id = :tenant_id AND id = :id',
        { tenant_id: tenantId, id },
      );
      return row && toAuthorizationServer(row);
    },

    async listAuthorizationServers(tenantId) {
      const rows = await selectWhere<AuthorizationServerRow>(
        session,
        'authorization_servers',
        { tenant_id: tenantId },
        'created_at, id',
      );
      return rows.map(toAuthorizationServer);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async insertAuthorizationServer(server) {
      await insert('authorization_servers', authorizationServerParams(server), {
        label: `authorization server ${server.id}`,
        details: { tenantId: server.tenantId, authorizationServerId: server.id },
      });
    },

    async updateAuthorizationServer(server) {
      const details = { tenantId: server.tenantId, authorizationServerId: server.id };
      const updated = await write(
        `UPDATE authorization_servers SET name = :name, audiences = :audiences,
          access_token_lifetime_seconds = :access_token_lifetime_seconds, signing_key_set_id = :signing_key_set_id,
          external_issuer = :external_issuer
         WHERE tenant_id = :tenant_id AND id = :id`,
        authorizationServerParams(server),
        { label: `authorization server ${server.id}`, details },
      );
      if (updated.changes === 0) {
        throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${server.id} not found`, details);
      }
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

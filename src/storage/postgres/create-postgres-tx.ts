import { SignetError } from '../../errors.ts';
import type { Tenant } from '../../domain/types.ts';
import {
  oauthClientParams,
  apiTokenParams,
  auditEventParams,
  authorizationServerParams,
  insertSql,
  keyParams,
  keySetParams,
  tenantParams,
  toKeySet,
  type KeySetRow,
  type Params,
} from '../rows.ts';
import type { StoreTx } from '../store.ts';
import type { WriteTarget } from '../write-target.ts';
import { bindNamedParams } from './bind-named-params.ts';
import type { ChangeLog } from './create-change-log.ts';
import { createPostgresIdentityProviderWrites } from './create-postgres-identity-provider-writes.ts';
import { createPostgresReader } from './create-postgres-reader.ts';
import type { PostgresSession } from './create-postgres-session.ts';
import { mapPostgresError } from './map-postgres-error.ts';

/**
 * Implements the port's transaction (reads and writes) over one session, recording in `changes`
 * what each successful write touched. Every write runs under a savepoint (`atomically`), so a
 * refused one leaves the transaction usable, as on SQLite.
 */
export function createPostgresTx(session: PostgresSession, changes: ChangeLog): StoreTx {
  async function statement<R = unknown>(
    sql: string,
    params: Params,
    target: WriteTarget,
  ): Promise<{ changes: number; rows: R[] }> {
    const { text, values } = bindNamedParams(sql, params);
    try {
      return await session.run<R>(text, values);
    } catch (error) {
      throw mapPostgresError(error, target);
    }
  }

  function insert(
    table: string,
    params: Params,
    target: WriteTarget,
    returning = '',
  ): Promise<{ changes: number; rows: unknown[] }> {
    return statement(`${insertSql(table, params)}${returning}`, params, target);
  }

  async function claimHostNames(tenant: Tenant): Promise<void> {
    for (const hostName of tenant.hostNames) {
      await insert(
        'tenant_host_names',
        { host_name: hostName, tenant_id: tenant.id },
        {
          label: `host name ${hostName}`,
          details: { tenantId: tenant.id, hostName },
        },
      );
    }
  }

  // A key's change is its key set's; the statement returns the key set's tenant for the notice.
  const KEY_SET_TENANT = ' RETURNING (SELECT tenant_id FROM key_sets WHERE key_sets.id = keys.key_set_id) AS tenant_id';
  function recordKeySet(keySetId: string, rows: readonly unknown[]): void {
    const tenantId = (rows[0] as { tenant_id?: string } | undefined)?.tenant_id;
    if (tenantId) changes.record({ entity: 'keySet', tenantId, id: keySetId });
  }

  return {
    ...createPostgresReader(session),

    // The row lock serialises rotations, revocations and scheduled transitions of one key set
    // across every instance; write transactions also hold the store's write lock.
    async lockKeySet(id) {
      const row = await session.get<KeySetRow>('SELECT * FROM key_sets WHERE id = $1 FOR UPDATE', [id]);
      return row && toKeySet(row);
    },

    async insertTenant(tenant) {
      await session.atomically(async () => {
        await insert('tenants', tenantParams(tenant), {
          label: `tenant ${tenant.id}`,
          details: { tenantId: tenant.id },
        });
        await claimHostNames(tenant);
      });
      changes.record({ entity: 'tenant', tenantId: tenant.id, id: tenant.id });
    },

    async updateTenant(tenant) {
      await session.atomically(async () => {
        const details = { tenantId: tenant.id };
        const updated = await statement(
          'UPDATE tenants SET display_name = :display_name WHERE id = :id',
          { id: tenant.id, display_name: tenant.displayName },
          { label: `tenant ${tenant.id}`, details },
        );
        if (updated.changes === 0)
          throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${tenant.id} not found`, details);
        await statement(
          'DELETE FROM tenant_host_names WHERE tenant_id = :id',
          { id: tenant.id },
          { label: `tenant ${tenant.id}`, details },
        );
        await claimHostNames(tenant);
      });
      changes.record({ entity: 'tenant', tenantId: tenant.id, id: tenant.id });
    },

    async insertAuthorizationServer(server) {
      await session.atomically(() =>
        insert('authorization_servers', authorizationServerParams(server), {
          label: `authorization server ${server.id}`,
          details: { tenantId: server.tenantId, authorizationServerId: server.id },
        }),
      );
      changes.record({ entity: 'authorizationServer', tenantId: server.tenantId, id: server.id });
    },

    async updateAuthorizationServer(server) {
      const details = { tenantId: server.tenantId, authorizationServerId: server.id };
      const updated = await session.atomically(() =>
        statement(
          `UPDATE authorization_servers SET name = :name, audiences = :audiences,
          access_token_lifetime_seconds = :access_token_lifetime_seconds, signing_key_set_id = :signing_key_set_id
         WHERE tenant_id = :tenant_id AND id = :id`,
          authorizationServerParams(server),
          { label: `authorization server ${server.id}`, details },
        ),
      );
      if (updated.changes === 0) {
        throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${server.id} not found`, details);
      }
      changes.record({ entity: 'authorizationServer', tenantId: server.tenantId, id: server.id });
    },

    async insertKeySet(keySet) {
      await session.atomically(() =>
        insert('key_sets', keySetParams(keySet), {
          label: `key set ${keySet.id}`,
          details: { keySetId: keySet.id },
        }),
      );
      changes.record({ entity: 'keySet', tenantId: keySet.tenantId, id: keySet.id });
    },

    // The owner, algorithm and creation time identify a key set; only its policy, modulus length
    // (for keys generated from now on) and updatedAt change.
    async updateKeySet(keySet) {
      const details = { keySetId: keySet.id };
      const updated = await session.atomically(() =>
        statement<{ tenant_id: string }>(
          `UPDATE key_sets SET rsa_modulus_length = :rsa_modulus_length, mode = :mode,
          rotation_period_seconds = :rotation_period_seconds, jwks_max_age_seconds = :jwks_max_age_seconds,
          clock_skew_seconds = :clock_skew_seconds, max_token_lifetime_seconds = :max_token_lifetime_seconds,
          draining_period_seconds = :draining_period_seconds, certificate_validity_seconds = :certificate_validity_seconds,
          certificate_renew_before_seconds = :certificate_renew_before_seconds,
          jwks_cache_horizon_at = :jwks_cache_horizon_at, updated_at = :updated_at
         WHERE id = :id RETURNING tenant_id`,
          keySetParams(keySet),
          { label: `key set ${keySet.id}`, details },
        ),
      );
      if (updated.changes === 0)
        throw new SignetError('ERR_KEY_SET_NOT_FOUND', `key set ${keySet.id} not found`, details);
      changes.record({ entity: 'keySet', tenantId: updated.rows[0]!.tenant_id, id: keySet.id });
    },

    async insertKey(key) {
      const inserted = await session.atomically(() =>
        insert(
          'keys',
          keyParams(key),
          {
            label: `key ${key.kid} in key set ${key.keySetId}`,
            details: { keySetId: key.keySetId, kid: key.kid },
            key,
          },
          KEY_SET_TENANT,
        ),
      );
      recordKeySet(key.keySetId, inserted.rows);
    },

    async updateKey(key) {
      const details = { keySetId: key.keySetId, kid: key.kid };
      const updated = await session.atomically(() =>
        statement(
          `UPDATE keys SET state = :state, certificate_der = :certificate_der, certificate_issuer = :certificate_issuer,
          certificate_not_before = :certificate_not_before, certificate_not_after = :certificate_not_after,
          activated_at = :activated_at, draining_since = :draining_since, retire_at = :retire_at,
          retired_at = :retired_at, revoked_at = :revoked_at,
          token_lifetime_ceiling_seconds = :token_lifetime_ceiling_seconds
         WHERE key_set_id = :key_set_id AND kid = :kid${KEY_SET_TENANT}`,
          keyParams(key),
          { label: `key ${key.kid} in key set ${key.keySetId}`, details, key },
        ),
      );
      if (updated.changes === 0) throw new SignetError('ERR_KEY_NOT_FOUND', `key ${key.kid} not found`, details);
      recordKeySet(key.keySetId, updated.rows);
    },

    async insertClient(client) {
      await session.atomically(() =>
        insert('api_clients', oauthClientParams(client), {
          label: `client ${client.clientId}`,
          details: { tenantId: client.tenantId, clientId: client.clientId },
        }),
      );
      changes.record({ entity: 'client', tenantId: client.tenantId, id: client.clientId });
    },

    async deleteClient(tenantId, clientId) {
      const deleted = await session.atomically(() =>
        statement(
          'DELETE FROM api_clients WHERE tenant_id = :tenant_id AND client_id = :client_id',
          { tenant_id: tenantId, client_id: clientId },
          { label: `client ${clientId}`, details: { tenantId, clientId } },
        ),
      );
      if (deleted.changes > 0) changes.record({ entity: 'client', tenantId, id: clientId });
      return deleted.changes > 0;
    },

    async insertApiToken(token) {
      await session.atomically(() =>
        insert('api_tokens', apiTokenParams(token), {
          label: `API token ${token.id}`,
          details: { tenantId: token.tenantId, apiTokenId: token.id },
        }),
      );
      changes.record({ entity: 'apiToken', tenantId: token.tenantId, id: token.id });
    },

    async deleteApiToken(tenantId, id) {
      const deleted = await session.atomically(() =>
        statement(
          'DELETE FROM api_tokens WHERE tenant_id = :tenant_id AND id = :id',
          { tenant_id: tenantId, id },
          { label: `API token ${id}`, details: { tenantId, apiTokenId: id } },
        ),
      );
      if (deleted.changes > 0) changes.record({ entity: 'apiToken', tenantId, id });
      return deleted.changes > 0;
    },

    async appendAuditEvent(event) {
      const params = auditEventParams(event);
      const appended = await session.atomically(() =>
        insert(
          'audit_events',
          params,
          {
            label: 'audit event',
            details: { tenantId: event.tenantId },
          },
          ' RETURNING id',
        ),
      );
      return (appended.rows[0] as { id: number }).id;
    },

    ...createPostgresIdentityProviderWrites(session, statement, insert),

    async setMeta(name, value) {
      await session.atomically(() =>
        statement(
          'INSERT INTO meta (name, value) VALUES (:name, :value) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
          { name, value },
          { label: `meta ${name}`, details: { name } },
        ),
      );
    },
  };
}

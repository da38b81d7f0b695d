import { SignetError } from '../../errors.ts';
import type { Tenant } from '../../domain/types.ts';
import type { StoreTx } from '../store.ts';
import { createSqliteIdentityProviderWrites } from './create-sqlite-identity-provider-writes.ts';
import { createSqliteReader } from './create-sqlite-reader.ts';
import type { SqliteSession, SqlParams } from './create-sqlite-session.ts';
import { mapSqliteError } from './map-sqlite-error.ts';
import { pickParams } from './pick-params.ts';
import type { WriteTarget } from '../write-target.ts';
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

/** Implements the port's transaction (reads and writes) over one session inside BEGIN IMMEDIATE. */
export function createSqliteTx(session: SqliteSession): StoreTx {
  function write(sql: string, params: SqlParams, target: WriteTarget): number {
    try {
      return session.run(sql, params).changes;
    } catch (error) {
      throw mapSqliteError(error, target);
    }
  }

  function insert(table: string, params: Params, target: WriteTarget): number {
    return write(insertSql(table, params), params, target);
  }

  function claimHostNames(tenant: Tenant): void {
    for (const hostName of tenant.hostNames) {
      insert(
        'tenant_host_names',
        { host_name: hostName, tenant_id: tenant.id },
        {
          label: `host name ${hostName}`,
          details: { tenantId: tenant.id, hostName },
        },
      );
    }
  }

  return {
    ...createSqliteReader(session),

    // BEGIN IMMEDIATE already holds the database's write lock, so reading the row is enough here;
    // PostgreSQL takes a row lock (SELECT ... FOR UPDATE).
    async lockKeySet(id) {
      const row = session.get<KeySetRow>('SELECT * FROM key_sets WHERE id = ?', [id]);
      return row && toKeySet(row);
    },

    async insertTenant(tenant) {
      session.atomically(() => {
        insert('tenants', tenantParams(tenant), {
          label: `tenant ${tenant.id}`,
          details: { tenantId: tenant.id },
        });
        claimHostNames(tenant);
      });
    },

    async updateTenant(tenant) {
      session.atomically(() => {
        const changed = write(
          'UPDATE tenants SET display_name = :display_name WHERE id = :id',
          { id: tenant.id, display_name: tenant.displayName },
          { label: `tenant ${tenant.id}`, details: { tenantId: tenant.id } },
        );
        if (changed === 0)
          throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${tenant.id} not found`, { tenantId: tenant.id });
        session.run('DELETE FROM tenant_host_names WHERE tenant_id = ?', [tenant.id]);
        claimHostNames(tenant);
      });
    },

    async insertAuthorizationServer(server) {
      insert('authorization_servers', authorizationServerParams(server), {
        label: `authorization server ${server.id}`,
        details: { tenantId: server.tenantId, authorizationServerId: server.id },
      });
    },

    async updateAuthorizationServer(server) {
      const details = { tenantId: server.tenantId, authorizationServerId: server.id };
      const params = authorizationServerParams(server);
      const changed = write(
        `UPDATE authorization_servers SET name = :name, audiences = :audiences,
          access_token_lifetime_seconds = :access_token_lifetime_seconds, signing_key_set_id = :signing_key_set_id
         WHERE tenant_id = :tenant_id AND id = :id`,
        pickParams(params, [
          'tenant_id',
          'id',
          'name',
          'audiences',
          'access_token_lifetime_seconds',
          'signing_key_set_id',
        ]),
        { label: `authorization server ${server.id}`, details },
      );
      if (changed === 0) {
        throw new SignetError('ERR_AUTH_SERVER_NOT_FOUND', `authorization server ${server.id} not found`, details);
      }
    },

    async insertKeySet(keySet) {
      insert('key_sets', keySetParams(keySet), { label: `key set ${keySet.id}`, details: { keySetId: keySet.id } });
    },

    // The owner, algorithm and creation time identify a key set; only its policy, modulus length
    // (for keys generated from now on) and updatedAt change.
    async updateKeySet(keySet) {
      const details = { keySetId: keySet.id };
      const changed = write(
        `UPDATE key_sets SET rsa_modulus_length = :rsa_modulus_length, mode = :mode,
          rotation_period_seconds = :rotation_period_seconds, jwks_max_age_seconds = :jwks_max_age_seconds,
          clock_skew_seconds = :clock_skew_seconds, max_token_lifetime_seconds = :max_token_lifetime_seconds,
          draining_period_seconds = :draining_period_seconds, certificate_validity_seconds = :certificate_validity_seconds,
          certificate_renew_before_seconds = :certificate_renew_before_seconds,
          jwks_cache_horizon_at = :jwks_cache_horizon_at, updated_at = :updated_at
         WHERE id = :id`,
        pickParams(keySetParams(keySet), [
          'id',
          'rsa_modulus_length',
          'mode',
          'rotation_period_seconds',
          'jwks_max_age_seconds',
          'clock_skew_seconds',
          'max_token_lifetime_seconds',
          'draining_period_seconds',
          'certificate_validity_seconds',
          'certificate_renew_before_seconds',
          'jwks_cache_horizon_at',
          'updated_at',
        ]),
        { label: `key set ${keySet.id}`, details },
      );
      if (changed === 0) throw new SignetError('ERR_KEY_SET_NOT_FOUND', `key set ${keySet.id} not found`, details);
    },

    async insertKey(key) {
      insert('keys', keyParams(key), {
        label: `key ${key.kid} in key set ${key.keySetId}`,
        details: { keySetId: key.keySetId, kid: key.kid },
        key,
      });
    },

    async updateKey(key) {
      const details = { keySetId: key.keySetId, kid: key.kid };
      const changed = write(
        `UPDATE keys SET state = :state, certificate_der = :certificate_der, certificate_issuer = :certificate_issuer,
          certificate_not_before = :certificate_not_before, certificate_not_after = :certificate_not_after,
          activated_at = :activated_at, draining_since = :draining_since, retire_at = :retire_at,
          retired_at = :retired_at, revoked_at = :revoked_at,
          token_lifetime_ceiling_seconds = :token_lifetime_ceiling_seconds
         WHERE key_set_id = :key_set_id AND kid = :kid`,
        pickParams(keyParams(key), [
          'key_set_id',
          'kid',
          'state',
          'certificate_der',
          'certificate_issuer',
          'certificate_not_before',
          'certificate_not_after',
          'activated_at',
          'draining_since',
          'retire_at',
          'retired_at',
          'revoked_at',
          'token_lifetime_ceiling_seconds',
        ]),
        { label: `key ${key.kid} in key set ${key.keySetId}`, details, key },
      );
      if (changed === 0) throw new SignetError('ERR_KEY_NOT_FOUND', `key ${key.kid} not found`, details);
    },

    async insertClient(client) {
      insert('api_clients', oauthClientParams(client), {
        label: `client ${client.clientId}`,
        details: { tenantId: client.tenantId, clientId: client.clientId },
      });
    },

    async deleteClient(tenantId, clientId) {
      return (
        session.run('DELETE FROM api_clients WHERE tenant_id = ? AND client_id = ?', [tenantId, clientId]).changes > 0
      );
    },

    async insertApiToken(token) {
      insert('api_tokens', apiTokenParams(token), {
        label: `API token ${token.id}`,
        details: { tenantId: token.tenantId, apiTokenId: token.id },
      });
    },

    async deleteApiToken(tenantId, id) {
      return session.run('DELETE FROM api_tokens WHERE tenant_id = ? AND id = ?', [tenantId, id]).changes > 0;
    },

    async appendAuditEvent(event) {
      const params = auditEventParams(event);
      return session.run(insertSql('audit_events', params), params).lastInsertRowid;
    },

    ...createSqliteIdentityProviderWrites(write, insert),

    async setMeta(name, value) {
      session.run(
        'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
        [name, value],
      );
    },
  };
}

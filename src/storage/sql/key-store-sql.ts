import { SignetError } from '../../errors.ts';
import { keyStoreCredentialParams, toKeyStoreCredential, type KeyStoreCredentialRow } from '../rows.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';

/** The reads and writes of the key store (the certificates identity providers trust). */
export function keyStoreSql({ session, write, insert }: SqlContext) {
  const reads = {
    async getKeyStoreCredential(tenantId, kid) {
      const row = await session.get<KeyStoreCredentialRow>(
        'SELECT * FROM key_store_credentials WHERE tenant_id = :tenant_id AND kid = :kid',
        { tenant_id: tenantId, kid },
      );
      return row && toKeyStoreCredential(row);
    },

    async listKeyStoreCredentials(tenantId, page) {
      const limit = Math.floor(page.limit);
      if (!(limit > 0)) return [];
      const after = page.after;
      // A row-value comparison (SQLite 3.15 and PostgreSQL alike) walks the (created_at, kid) order.
      const rows = after
        ? await session.all<KeyStoreCredentialRow>(
            `SELECT * FROM key_store_credentials WHERE tenant_id = :tenant_id AND (created_at, kid) > (:created_at, :kid)
             ORDER BY created_at, kid LIMIT :limit`,
            { tenant_id: tenantId, created_at: after.createdAt, kid: after.kid, limit },
          )
        : await session.all<KeyStoreCredentialRow>(
            'SELECT * FROM key_store_credentials WHERE tenant_id = :tenant_id ORDER BY created_at, kid LIMIT :limit',
            { tenant_id: tenantId, limit },
          );
      return rows.map(toKeyStoreCredential);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async insertKeyStoreCredential(credential) {
      await insert('key_store_credentials', keyStoreCredentialParams(credential), {
        label: `key store credential ${credential.kid}`,
        details: { tenantId: credential.tenantId, kid: credential.kid },
      });
    },

    async updateKeyStoreCredential(credential) {
      const details = { tenantId: credential.tenantId, kid: credential.kid };
      const updated = await write(
        'UPDATE key_store_credentials SET certificate_der = :certificate_der, updated_at = :updated_at WHERE tenant_id = :tenant_id AND kid = :kid',
        keyStoreCredentialParams(credential),
        { label: `key store credential ${credential.kid}`, details },
      );
      if (updated.changes === 0)
        throw new SignetError(
          'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND',
          `key store credential ${credential.kid} not found`,
          details,
        );
    },

    async deleteKeyStoreCredential(tenantId, kid) {
      const details = { tenantId, kid };
      const deleted = await write(
        'DELETE FROM key_store_credentials WHERE tenant_id = :tenant_id AND kid = :kid',
        { tenant_id: tenantId, kid },
        {
          label: `key store credential ${kid}`,
          details,
          foreignKey: new SignetError(
            'ERR_KEY_IN_USE',
            `key store credential ${kid} is used by an identity provider`,
            details,
          ),
        },
      );
      return deleted.changes > 0;
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

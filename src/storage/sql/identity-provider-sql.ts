import { SignetError } from '../../errors.ts';
import { identityProviderParams, toIdentityProvider, type IdentityProviderRow } from '../rows.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import type { WriteTarget } from '../write-target.ts';
import type { SqlContext } from './create-sql-context.ts';

function idpTarget(tenantId: string, id: string, trustKid: string | null): WriteTarget {
  return {
    label: `identity provider ${id} (or its name)`,
    details: { tenantId, identityProviderId: id },
    foreignKey: new SignetError(
      'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND',
      `key store credential ${trustKid ?? ''} not found`,
      { tenantId, kid: trustKid },
    ),
  };
}

/** The reads and writes of identity providers. */
export function identityProviderSql({ session, write, insert }: SqlContext) {
  const reads = {
    async getIdentityProvider(tenantId, id) {
      const row = await session.get<IdentityProviderRow>(
        'SELECT * FROM identity_providers WHERE tenant_id = :tenant_id AND id = :id',
        { tenant_id: tenantId, id },
      );
      return row && toIdentityProvider(row);
    },

    async listIdentityProviders(tenantId) {
      const rows = await session.all<IdentityProviderRow>(
        'SELECT * FROM identity_providers WHERE tenant_id = :tenant_id ORDER BY created_at, id',
        { tenant_id: tenantId },
      );
      return rows.map(toIdentityProvider);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async insertIdentityProvider(idp) {
      await insert('identity_providers', identityProviderParams(idp), idpTarget(idp.tenantId, idp.id, idp.trustKid));
    },

    async updateIdentityProvider(idp) {
      const updated = await write(
        `UPDATE identity_providers SET type = :type, name = :name, status = :status, protocol_type = :protocol_type,
          settings = :settings, trust_kid = :trust_kid, signing_key_set_id = :signing_key_set_id, updated_at = :updated_at
         WHERE tenant_id = :tenant_id AND id = :id`,
        identityProviderParams(idp),
        idpTarget(idp.tenantId, idp.id, idp.trustKid),
      );
      if (updated.changes === 0) {
        throw new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${idp.id} not found`, {
          identityProviderId: idp.id,
        });
      }
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

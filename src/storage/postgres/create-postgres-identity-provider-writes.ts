import { SignetError } from '../../errors.ts';
import { identityProviderParams, idpCsrParams, keyStoreCredentialParams, type Params } from '../rows.ts';
import type { StoreTx } from '../store.ts';
import type { WriteTarget } from '../write-target.ts';
import type { PostgresSession } from './create-postgres-session.ts';

export type Statement = (
  sql: string,
  params: Params,
  target: WriteTarget,
) => Promise<{ changes: number; rows: unknown[] }>;
export type Insert = (
  table: string,
  params: Params,
  target: WriteTarget,
) => Promise<{ changes: number; rows: unknown[] }>;

/**
 * The writes of identity providers, the key store and IdP CSRs. No in-memory view holds them, so
 * they record no change notice.
 */
export function createPostgresIdentityProviderWrites(
  session: PostgresSession,
  statement: Statement,
  insert: Insert,
): Pick<
  StoreTx,
  | 'insertIdentityProvider'
  | 'updateIdentityProvider'
  | 'insertKeyStoreCredential'
  | 'updateKeyStoreCredential'
  | 'deleteKeyStoreCredential'
  | 'insertIdpCsr'
  | 'deleteIdpCsr'
> {
  const idpTarget = (tenantId: string, id: string, trustKid: string | null): WriteTarget => ({
    label: `identity provider ${id} (or its name)`,
    details: { tenantId, identityProviderId: id },
    foreignKey: new SignetError(
      'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND',
      `key store credential ${trustKid ?? ''} not found`,
      { tenantId, kid: trustKid },
    ),
  });
  return {
    async insertIdentityProvider(idp) {
      await session.atomically(() =>
        insert('identity_providers', identityProviderParams(idp), idpTarget(idp.tenantId, idp.id, idp.trustKid)),
      );
    },

    async updateIdentityProvider(idp) {
      const updated = await session.atomically(() =>
        statement(
          `UPDATE identity_providers SET type = :type, name = :name, status = :status, protocol_type = :protocol_type,
          settings = :settings, trust_kid = :trust_kid, signing_key_set_id = :signing_key_set_id, updated_at = :updated_at
         WHERE tenant_id = :tenant_id AND id = :id`,
          identityProviderParams(idp),
          idpTarget(idp.tenantId, idp.id, idp.trustKid),
        ),
      );
      if (updated.changes === 0) {
        throw new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${idp.id} not found`, {
          identityProviderId: idp.id,
        });
      }
    },

    async insertKeyStoreCredential(credential) {
      await session.atomically(() =>
        insert('key_store_credentials', keyStoreCredentialParams(credential), {
          label: `key store credential ${credential.kid}`,
          details: { tenantId: credential.tenantId, kid: credential.kid },
        }),
      );
    },

    async updateKeyStoreCredential(credential) {
      const details = { tenantId: credential.tenantId, kid: credential.kid };
      const updated = await session.atomically(() =>
        statement(
          'UPDATE key_store_credentials SET certificate_der = :certificate_der, updated_at = :updated_at WHERE tenant_id = :tenant_id AND kid = :kid',
          keyStoreCredentialParams(credential),
          { label: `key store credential ${credential.kid}`, details },
        ),
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
      const deleted = await session.atomically(() =>
        statement(
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
        ),
      );
      return deleted.changes > 0;
    },

    async insertIdpCsr(csr) {
      await session.atomically(() =>
        insert('idp_csrs', idpCsrParams(csr), {
          label: `CSR ${csr.id}`,
          details: { tenantId: csr.tenantId, identityProviderId: csr.idpId, csrId: csr.id },
          foreignKey: new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${csr.idpId} not found`, {
            identityProviderId: csr.idpId,
          }),
        }),
      );
    },

    async deleteIdpCsr(tenantId, idpId, id) {
      const deleted = await session.atomically(() =>
        statement(
          'DELETE FROM idp_csrs WHERE tenant_id = :tenant_id AND idp_id = :idp_id AND id = :id',
          { tenant_id: tenantId, idp_id: idpId, id },
          { label: `CSR ${id}`, details: { tenantId, csrId: id } },
        ),
      );
      return deleted.changes > 0;
    },
  };
}

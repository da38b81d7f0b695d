import { SignetError } from '../../errors.ts';
import type { IdentityProvider, IdpCsr, KeyStoreCredential } from '../../domain/types.ts';
import { identityProviderParams, idpCsrParams, keyStoreCredentialParams, type Params } from '../rows.ts';
import type { WriteTarget } from '../write-target.ts';
import type { SqlParams } from './create-sqlite-session.ts';
import { pickParams } from './pick-params.ts';

export type Write = (sql: string, params: SqlParams, target: WriteTarget) => number;

/** The writes of identity providers, the key store and IdP CSRs. */
export function createSqliteIdentityProviderWrites(
  write: Write,
  insert: (table: string, params: Params, target: WriteTarget) => number,
) {
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
    async insertIdentityProvider(idp: IdentityProvider) {
      insert('identity_providers', identityProviderParams(idp), idpTarget(idp.tenantId, idp.id, idp.trustKid));
    },

    async updateIdentityProvider(idp: IdentityProvider) {
      const changed = write(
        `UPDATE identity_providers SET type = :type, name = :name, status = :status, protocol_type = :protocol_type,
          settings = :settings, trust_kid = :trust_kid, signing_key_set_id = :signing_key_set_id, updated_at = :updated_at
         WHERE tenant_id = :tenant_id AND id = :id`,
        pickParams(identityProviderParams(idp), [
          'tenant_id',
          'id',
          'type',
          'name',
          'status',
          'protocol_type',
          'settings',
          'trust_kid',
          'signing_key_set_id',
          'updated_at',
        ]),
        idpTarget(idp.tenantId, idp.id, idp.trustKid),
      );
      if (changed === 0) {
        throw new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${idp.id} not found`, {
          identityProviderId: idp.id,
        });
      }
    },

    async insertKeyStoreCredential(credential: KeyStoreCredential) {
      insert('key_store_credentials', keyStoreCredentialParams(credential), {
        label: `key store credential ${credential.kid}`,
        details: { tenantId: credential.tenantId, kid: credential.kid },
      });
    },

    async updateKeyStoreCredential(credential: KeyStoreCredential) {
      const details = { tenantId: credential.tenantId, kid: credential.kid };
      const changed = write(
        'UPDATE key_store_credentials SET certificate_der = :certificate_der, updated_at = :updated_at WHERE tenant_id = :tenant_id AND kid = :kid',
        pickParams(keyStoreCredentialParams(credential), ['tenant_id', 'kid', 'certificate_der', 'updated_at']),
        { label: `key store credential ${credential.kid}`, details },
      );
      if (changed === 0)
        throw new SignetError(
          'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND',
          `key store credential ${credential.kid} not found`,
          details,
        );
    },

    async deleteKeyStoreCredential(tenantId: string, kid: string) {
      const details = { tenantId, kid };
      return (
        write('DELETE FROM key_store_credentials WHERE tenant_id = ? AND kid = ?', [tenantId, kid], {
          label: `key store credential ${kid}`,
          details,
          foreignKey: new SignetError(
            'ERR_KEY_IN_USE',
            `key store credential ${kid} is used by an identity provider`,
            details,
          ),
        }) > 0
      );
    },

    async insertIdpCsr(csr: IdpCsr) {
      insert('idp_csrs', idpCsrParams(csr), {
        label: `CSR ${csr.id}`,
        details: { tenantId: csr.tenantId, identityProviderId: csr.idpId, csrId: csr.id },
        foreignKey: new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${csr.idpId} not found`, {
          identityProviderId: csr.idpId,
        }),
      });
    },

    async deleteIdpCsr(tenantId: string, idpId: string, id: string) {
      return (
        write('DELETE FROM idp_csrs WHERE tenant_id = ? AND idp_id = ? AND id = ?', [tenantId, idpId, id], {
          label: `CSR ${id}`,
          details: { tenantId, csrId: id },
        }) > 0
      );
    },
  };
}

import { SignetError } from '../../errors.ts';
import { idpCsrParams, toIdpCsr, type IdpCsrRow } from '../rows.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';

/** The reads and writes of the CSRs of identity providers. */
export function idpCsrSql({ session, write, insert }: SqlContext) {
  const reads = {
    async getIdpCsr(tenantId, idpId, id) {
      const row = await session.get<IdpCsrRow>(
        'SELECT * FROM idp_csrs WHERE tenant_id = :tenant_id AND idp_id = :idp_id AND id = :id',
        { tenant_id: tenantId, idp_id: idpId, id },
      );
      return row && toIdpCsr(row);
    },

    async listIdpCsrs(tenantId, idpId) {
      const rows = await session.all<IdpCsrRow>(
        'SELECT * FROM idp_csrs WHERE tenant_id = :tenant_id AND idp_id = :idp_id ORDER BY created_at, id',
        { tenant_id: tenantId, idp_id: idpId },
      );
      return rows.map(toIdpCsr);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async insertIdpCsr(csr) {
      await insert('idp_csrs', idpCsrParams(csr), {
        label: `CSR ${csr.id}`,
        details: { tenantId: csr.tenantId, identityProviderId: csr.idpId, csrId: csr.id },
        foreignKey: new SignetError('ERR_IDENTITY_PROVIDER_NOT_FOUND', `identity provider ${csr.idpId} not found`, {
          identityProviderId: csr.idpId,
        }),
      });
    },

    async deleteIdpCsr(tenantId, idpId, id) {
      const deleted = await write(
        'DELETE FROM idp_csrs WHERE tenant_id = :tenant_id AND idp_id = :idp_id AND id = :id',
        { tenant_id: tenantId, idp_id: idpId, id },
        { label: `CSR ${id}`, details: { tenantId, csrId: id } },
      );
      return deleted.changes > 0;
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

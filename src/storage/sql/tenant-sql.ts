import type { Tenant } from '../../domain/types.ts';
import { SignetError } from '../../errors.ts';
import { tenantParams, toTenant, type TenantRow } from '../rows.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';

/** The reads and writes of tenants and their host names. */
export function tenantSql({ session, dialect, atomically }: SqlContext) {
  async function withHostNames(row: TenantRow): Promise<Tenant> {
    const hostNames = await session.all<{ host_name: string }>(
      'SELECT host_name FROM tenant_host_names WHERE tenant_id = :tenant_id ORDER BY host_name',
      { tenant_id: row.id },
    );
    return toTenant(
      row,
      hostNames.map((host) => host.host_name),
    );
  }

  async function claimHostNames(context: SqlContext, tenant: Tenant): Promise<void> {
    for (const hostName of tenant.hostNames) {
      await context.insert(
        'tenant_host_names',
        { host_name: hostName, tenant_id: tenant.id },
        { label: `host name ${hostName}`, details: { tenantId: tenant.id, hostName } },
      );
    }
  }

  const reads = {
    async getTenant(id) {
      const row = await session.get<TenantRow>('SELECT * FROM tenants WHERE id = :id', { id });
      return row && withHostNames(row);
    },

    async findTenantByHost(hostName) {
      const row = await session.get<TenantRow>(
        `SELECT t.* FROM tenants t JOIN tenant_host_names h ON h.tenant_id = t.id WHERE ${dialect.hostNameMatches}`,
        { host_name: hostName },
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
  } satisfies Partial<StoreReader>;

  const writes = {
    async insertTenant(tenant) {
      await atomically(async (context) => {
        await context.insert('tenants', tenantParams(tenant), {
          label: `tenant ${tenant.id}`,
          details: { tenantId: tenant.id },
        });
        await claimHostNames(context, tenant);
      });
    },

    async updateTenant(tenant) {
      const target = { label: `tenant ${tenant.id}`, details: { tenantId: tenant.id } };
      await atomically(async (context) => {
        const updated = await context.write(
          'UPDATE tenants SET display_name = :display_name WHERE id = :id',
          { id: tenant.id, display_name: tenant.displayName },
          target,
        );
        if (updated.changes === 0)
          throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${tenant.id} not found`, target.details);
        await context.write('DELETE FROM tenant_host_names WHERE tenant_id = :id', { id: tenant.id }, target);
        await claimHostNames(context, tenant);
      });
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

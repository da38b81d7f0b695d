import { SignetError } from '../errors.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { ResolvedTenant } from './fastify-types.ts';

/**
 * Finds the tenant a request addresses (docs/spec.md §5): `/t/{tenant}/...` by path, else a claimed
 * `Host`, else the root tenant at `/`; and the base URL it was addressed by, for issuers.
 */
export function resolveTenant(
  registry: Registry,
  options: { baseUrl: string; rootTenantId: string },
  pathTenantId: string | undefined,
  host: string | undefined,
): ResolvedTenant {
  if (pathTenantId !== undefined) {
    const tenant = registry.getTenant(pathTenantId);
    if (!tenant)
      throw new SignetError('ERR_TENANT_NOT_FOUND', `tenant ${pathTenantId} not found`, { tenantId: pathTenantId });
    return { tenant, baseUrl: `${options.baseUrl}/t/${tenant.id}` };
  }
  if (host) {
    const claimed = registry.findTenantByHost(host) ?? registry.findTenantByHost(host.replace(/:\d+$/, ''));
    if (claimed) return { tenant: claimed, baseUrl: `${new URL(options.baseUrl).protocol}//${host}` };
  }
  const root = registry.getTenant(options.rootTenantId);
  if (!root) throw new SignetError('ERR_UNAVAILABLE', 'the root tenant is not bootstrapped yet');
  return { tenant: root, baseUrl: options.baseUrl };
}

/** Every issuer base URL a tenant can be addressed by. */
export function tenantBaseUrls(
  tenantId: string,
  hostNames: readonly string[],
  options: { baseUrl: string; rootTenantId: string },
): string[] {
  const scheme = new URL(options.baseUrl).protocol;
  return [
    ...(tenantId === options.rootTenantId ? [options.baseUrl] : []),
    `${options.baseUrl}/t/${tenantId}`,
    ...hostNames.map((host) => `${scheme}//${host}`),
  ];
}

import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../domain/default-authorization-server-id.ts';
import type { AuthorizationServer } from '../../domain/types.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { ResolvedTenant } from '../fastify-types.ts';
import { resolveTenant } from '../resolve-tenant.ts';
import { matchOneParam, routeLabels, splitTenantPath } from './split-tenant-path.ts';

/** A fast-path request matched to its route and resolved to an existing tenant and server. */
export interface FastRoute {
  /** The `/t/{tenant}` of the path, if the request was addressed that way. */
  tenantId: string | undefined;
  /** The `:serverId` of the per-server route; undefined on the tenant's default route. */
  serverId: string | undefined;
  /** The metric route label Fastify would record for the same request. */
  label: string;
  resolved: ResolvedTenant;
  server: AuthorizationServer;
}

/** What a fast route matcher needs to resolve tenants the way Fastify's routes do. */
export interface FastRouteOptions {
  registry: Registry;
  baseUrl: string;
  rootTenantId: string;
}

/**
 * Compiles the patterns of a fast path (the tenant's default route, if it has one, and the
 * per-server one, as Fastify registers them) into one matcher: the matched route, or undefined when
 * Fastify should answer (another path, percent-encoding, an unknown tenant or server).
 */
export function createFastRouteMatcher(
  options: FastRouteOptions,
  defaultPath: string | null,
  serverPath: string,
): (url: string, host: string | undefined) => FastRoute | undefined {
  const tenantOptions = { baseUrl: options.baseUrl, rootTenantId: options.rootTenantId };
  const serverParam = matchOneParam(serverPath);
  const defaultLabels = defaultPath === null ? null : routeLabels(defaultPath);
  const serverLabels = routeLabels(serverPath);
  return (url, host) => {
    const split = splitTenantPath(url);
    if (!split) return undefined;
    const { tenantId, rest } = split;
    let serverId: string | undefined;
    if (rest !== defaultPath) {
      serverId = serverParam(rest) ?? undefined;
      if (serverId === undefined) return undefined;
    }
    let resolved: ResolvedTenant;
    let server: AuthorizationServer | undefined;
    try {
      resolved = resolveTenant(options.registry, tenantOptions, tenantId, host);
      server = options.registry.getAuthorizationServer(resolved.tenant.id, serverId ?? DEFAULT_AUTHORIZATION_SERVER_ID);
    } catch {
      return undefined;
    }
    if (!server) return undefined;
    const labels = serverId === undefined ? defaultLabels! : serverLabels;
    return { tenantId, serverId, label: tenantId === undefined ? labels.root : labels.tenant, resolved, server };
  };
}

import { TENANT_PREFIX } from '../tenant-prefix.ts';

/** A request path split into the `/t/{tenant}` prefix, if any, and the rest. */
export interface TenantPath {
  tenantId: string | undefined;
  rest: string;
}

/**
 * Splits a request URL for the fast paths, or returns null when Fastify should route it: a query
 * string is dropped (Fastify routes without it); percent-encoding is left to Fastify's decoding.
 */
export function splitTenantPath(url: string): TenantPath | null {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path.includes('%')) return null;
  if (!path.startsWith('/t/')) return { tenantId: undefined, rest: path };
  const slash = path.indexOf('/', 3);
  if (slash <= 3) return null;
  return { tenantId: path.slice(3, slash), rest: path.slice(slash) };
}

/** A route pattern with one `:param` segment, matched without a router: the parameter, or null. */
export type OneParamMatcher = (rest: string) => string | null;

/** Compiles a pattern such as `/oauth2/:serverId/v1/keys` (exactly one parameter) into a matcher. */
export function matchOneParam(pattern: string): OneParamMatcher {
  const found = /:[^/]+/.exec(pattern);
  if (!found) throw new Error(`route pattern ${pattern} has no parameter`);
  const prefix = pattern.slice(0, found.index);
  const suffix = pattern.slice(found.index + found[0].length);
  return (rest) => {
    if (!rest.startsWith(prefix) || !rest.endsWith(suffix) || rest.length <= prefix.length + suffix.length) return null;
    const value = rest.slice(prefix.length, rest.length - suffix.length);
    return value.includes('/') ? null : value;
  };
}

/** The metric route labels of a pattern: as registered at the root and under the tenant prefix. */
export function routeLabels(pattern: string): { root: string; tenant: string } {
  return { root: pattern, tenant: `${TENANT_PREFIX}${pattern}` };
}

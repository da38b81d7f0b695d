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

/** The `{id}` of `/oauth2/{id}{suffix}`, or null when `rest` is not such a path. */
export function serverIdOf(rest: string, suffix: string): string | null {
  if (!rest.startsWith('/oauth2/') || !rest.endsWith(suffix)) return null;
  const id = rest.slice('/oauth2/'.length, -suffix.length);
  return id === '' || id.includes('/') ? null : id;
}

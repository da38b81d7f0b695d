/**
 * What every view gets: the API client, the tenant the page addresses, and navigation.
 * @typedef {object} AppContext
 * @property {import('./api.js').Api} api
 * @property {string} tenantId
 * @property {string} tenantName
 * @property {boolean} isRootTenant
 * @property {string} tokenEndpoint
 * @property {(hash: string) => void} navigate
 * @property {() => void} rerender renders the current route again
 */

/**
 * A parsed `#/path?query` route.
 * @typedef {object} Route
 * @property {string[]} segments
 * @property {URLSearchParams} query
 */

/**
 * Parses the location hash: the dashboard routes in the fragment, so the server serves one page.
 * @param {string} hash
 * @returns {Route}
 */
export function parseRoute(hash) {
  const raw = hash.startsWith('#/') ? hash.slice(2) : '';
  const [path = '', search = ''] = raw.split('?');
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

/**
 * Builds a route hash.
 * @param {string[]} segments
 * @param {Record<string, string | undefined | null>} [query]
 */
export function routeHash(segments, query = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) search.set(name, value);
  const suffix = search.size > 0 ? `?${search}` : '';
  return `#/${segments.map(encodeURIComponent).join('/')}${suffix}`;
}

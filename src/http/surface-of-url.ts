import type { Surface } from './fastify-types.ts';

/**
 * The surface of a request no route matched (404) or that failed before routing, from its path
 * below the tenant prefix: each dialect's prefix answers in that dialect's envelope.
 */
export function surfaceOfUrl(url: string): Surface {
  const path = url.split('?')[0]!.replace(/^\/t\/[^/]+(?=\/)/, '');
  if (/^\/(oauth\/token|oauth2\/[^/]+\/v1\/token|oauth2\/v1\/token|oidc\/2\/token)$/.test(path)) return 'oauth';
  if (path === '/auth/oauth2/v2/token') return 'onelogin-token';
  if (path.startsWith('/oidc/2/')) return 'onelogin';
  if (path.startsWith('/api/v1/')) return 'okta';
  if (path.startsWith('/api/v2/')) return 'auth0';
  return 'native';
}

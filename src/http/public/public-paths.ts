/**
 * The route patterns of the public surface below a tenant base. Fastify's routes (public-routes.ts)
 * and the fast paths (create-fast-*-handler.ts) both take them from here, so the fast paths match
 * the same paths and record the same metric route labels as Fastify.
 */
export const PUBLIC_PATHS = Object.freeze({
  discovery: '/.well-known/openid-configuration',
  metadata: '/.well-known/oauth-authorization-server',
  metadataOfServer: '/.well-known/oauth-authorization-server/oauth2/:serverId',
  jwks: '/.well-known/jwks.json',
  token: '/oauth/token',
  serverDiscovery: '/oauth2/:serverId/.well-known/openid-configuration',
  serverMetadata: '/oauth2/:serverId/.well-known/oauth-authorization-server',
  serverJwks: '/oauth2/:serverId/v1/keys',
  serverToken: '/oauth2/:serverId/v1/token',
});

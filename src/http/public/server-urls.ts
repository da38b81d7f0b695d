import type { ServerUrls } from './discovery-document.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../domain/default-authorization-server-id.ts';

/** The default server answers at the tenant base; every server also at `/oauth2/{id}` (Okta layout). */
export function serverUrls(base: string, serverId: string | undefined): ServerUrls {
  if (serverId === undefined) {
    return { issuer: base, jwksUri: `${base}/.well-known/jwks.json`, tokenEndpoint: `${base}/oauth/token` };
  }
  const root = `${base}/oauth2/${serverId}`;
  return {
    issuer: serverId === DEFAULT_AUTHORIZATION_SERVER_ID ? base : root,
    jwksUri: `${root}/v1/keys`,
    tokenEndpoint: `${root}/v1/token`,
  };
}

import type { KeySetView } from '../../runtime/build-key-set-view.ts';

/** The URLs of one authorization server as addressed by a request. */
export interface ServerUrls {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
}

/**
 * OIDC Discovery 1.0 §3 / RFC 8414 §2 metadata for a client_credentials-only server: nothing is
 * advertised that Signet does not serve.
 */
export function discoveryDocument(urls: ServerUrls, views: readonly KeySetView[]): Record<string, unknown> {
  const algorithms = [...new Set(views.map((view) => view.keySet.alg))];
  return {
    issuer: urls.issuer,
    jwks_uri: urls.jwksUri,
    token_endpoint: urls.tokenEndpoint,
    grant_types_supported: ['client_credentials'],
    response_types_supported: [],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algorithms,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    access_token_signing_alg_values_supported: algorithms,
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'],
  };
}

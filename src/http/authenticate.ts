import type { AccessTokenVerifier } from '../crypto/verify-access-token.ts';
import type { Tenant } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Principal } from '../services/authorize.ts';
import type { CredentialService } from '../services/create-credential-service.ts';
import { tenantBaseUrls } from './resolve-tenant.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../domain/default-authorization-server-id.ts';

export interface AuthenticateOptions {
  registry: Registry;
  credentials: CredentialService;
  verifier: AccessTokenVerifier;
  baseUrl: string;
  rootTenantId: string;
  now: () => number;
}

/** What a management request presents: its Authorization header, to the tenant it addresses. */
export interface CredentialRequest {
  authorization: string | undefined;
  tenant: Tenant;
}

/** What one management surface accepts besides opaque API tokens. */
export interface ManagementAudience {
  /** The audience its JWT access tokens carry, for one base URL of the tenant. */
  audienceFor: (tenantBaseUrl: string) => string;
  /** Also accept `Authorization: SSWS <API token>` (Okta). */
  ssws?: boolean;
}

/**
 * Resolves the credential of a management request: an opaque API token (`Bearer`, or `SSWS` where
 * the surface allows it), or a JWT access token that this tenant's default server issued for the
 * surface's management audience to a live client. Fastify's hooks and the fast sign path both call it.
 */
export async function authenticate(
  request: CredentialRequest,
  options: AuthenticateOptions,
  surface: ManagementAudience,
): Promise<Principal> {
  const header = request.authorization;
  const match = header?.match(/^(Bearer|SSWS)\s+(\S+)\s*$/i);
  const scheme = match?.[1]?.toLowerCase();
  if (!match || (scheme === 'ssws' && !surface.ssws)) {
    throw new SignetError(
      'ERR_UNAUTHENTICATED',
      surface.ssws ? 'an SSWS API token or a Bearer token is required' : 'a Bearer token is required',
    );
  }
  const token = match[2]!;
  if (scheme === 'ssws' || token.split('.').length !== 3) {
    const principal = options.credentials.authenticateApiToken(token);
    if (!principal) throw new SignetError('ERR_UNAUTHENTICATED', 'invalid or revoked API token');
    return principal;
  }
  const { tenant } = request;
  const jwks = options.registry.getJwks(tenant.id, DEFAULT_AUTHORIZATION_SERVER_ID);
  const view = options.registry.getAuthorizationServer(tenant.id, DEFAULT_AUTHORIZATION_SERVER_ID);
  if (!jwks || !view) throw new SignetError('ERR_UNAUTHENTICATED', 'invalid access token');
  const bases = tenantBaseUrls(tenant.id, tenant.hostNames, options);
  const payload = await options.verifier.verify(token, jwks, {
    // The default server's tokens carry its external issuer when it has one.
    issuers: view.externalIssuer ? [...bases, view.externalIssuer] : bases,
    audience: [...new Set(bases.map(surface.audienceFor))],
    clockToleranceSeconds: 0,
    now: options.now(),
  });
  const clientId = typeof payload?.client_id === 'string' ? payload.client_id : undefined;
  const client = clientId ? options.registry.getClient(clientId) : undefined;
  if (!payload || !client || client.tenantId !== tenant.id)
    throw new SignetError('ERR_UNAUTHENTICATED', 'invalid access token');
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  return {
    actor: { type: 'client', id: client.clientId, tenantId: tenant.id },
    tenantId: tenant.id,
    // A token keeps only the scopes its client still has.
    scopes: new Set(scopes.filter((scope) => client.scopes.includes(scope))),
    authorizationServerIds: client.authorizationServerIds,
  };
}

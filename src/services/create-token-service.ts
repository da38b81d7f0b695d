import { randomUUID } from 'node:crypto';
import { NATIVE_MANAGEMENT_AUDIENCE } from '../config/defaults.ts';
import { SignetError } from '../errors.ts';
import type { OAuthClient } from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';
import { resolveSigner } from './resolve-signer.ts';
import type { SignatureLedger } from './signature-ledger.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../domain/default-authorization-server-id.ts';

export interface IssueTokenInput {
  tenantId: string;
  authorizationServerId: string;
  /** The issuer as addressed by the request (path or claimed host). */
  issuer: string;
  client: OAuthClient;
  /** Space-separated scopes requested, or undefined for every scope of the client. */
  scope: string | undefined;
  /** Audiences requested (`audience` or RFC 8707 `resource`), or empty for the server's audiences. */
  audiences: string[];
  /** Extra audiences this surface accepts besides the server's own (management audiences). */
  extraAudiences?: readonly string[];
  /** Audiences when none is requested, instead of the server's (a vendor token endpoint's own audience). */
  defaultAudiences?: readonly string[];
}

/** An RFC 6749 §5.1 access token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

export type TokenService = ReturnType<typeof createTokenService>;

/**
 * The client_credentials grant: issues RFC 9068 JWT access tokens signed by the authorization
 * server's active key, entirely from memory.
 */
export function createTokenService({
  registry,
  now,
  ledger,
  onSigned,
}: {
  registry: Registry;
  now: () => number;
  ledger: SignatureLedger;
  onSigned?: (kid: string) => void;
}) {
  return {
    /**
     * Issues an access token for an authenticated client; refusals reject. The promise settles when
     * the signature is computed (for RSA on the thread pool, so the event loop keeps serving).
     */
    async issueClientCredentialsToken(input: IssueTokenInput): Promise<TokenResponse> {
      const at = now();
      const { server, view, signer } = resolveSigner(registry, input, at);
      const granted = grantScopes(input.client, input.scope);
      const audiences = grantAudiences(server.audiences, input);
      const lifetime = Math.min(server.accessTokenLifetimeSeconds, view.keySet.policy.maxTokenLifetimeSeconds);
      const iat = Math.floor(at / 1000);
      // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti; scope when granted.
      const payload: Record<string, unknown> = {
        iss: server.externalIssuer ?? input.issuer,
        sub: input.client.clientId,
        aud: audiences.length === 1 ? audiences[0] : audiences,
        exp: iat + lifetime,
        iat,
        jti: randomUUID(),
        client_id: input.client.clientId,
      };
      if (granted.length > 0) payload.scope = granted.join(' ');
      const accessToken = await signer.sign(payload);
      // Every token endpoint (fast path, Fastify route, vendor dialects) is accounted as `token`.
      ledger.record({
        tenantId: input.tenantId,
        keySetId: view.keySet.id,
        kid: signer.kid,
        credentialId: input.client.clientId,
        surface: 'token',
        at,
      });
      onSigned?.(signer.kid);
      const response: TokenResponse = { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime };
      if (granted.length > 0) response.scope = granted.join(' ');
      return response;
    },
  };
}

function grantScopes(client: OAuthClient, requested: string | undefined): string[] {
  if (requested === undefined || requested.trim() === '') return client.scopes;
  const scopes = [...new Set(requested.split(' ').filter(Boolean))];
  const refused = scopes.filter((scope) => !client.scopes.includes(scope));
  if (refused.length > 0)
    throw new SignetError('ERR_INVALID_SCOPE', `scope not allowed for this client: ${refused.join(' ')}`);
  return scopes;
}

function grantAudiences(serverAudiences: readonly string[], input: IssueTokenInput): string[] {
  if (input.audiences.length === 0) return [...(input.defaultAudiences ?? serverAudiences)];
  const allowed = new Set([
    ...serverAudiences,
    ...(input.extraAudiences ?? []),
    ...(input.authorizationServerId === DEFAULT_AUTHORIZATION_SERVER_ID ? [NATIVE_MANAGEMENT_AUDIENCE] : []),
  ]);
  const refused = input.audiences.filter((audience) => !allowed.has(audience));
  if (refused.length > 0)
    throw new SignetError(
      'ERR_INVALID_TARGET',
      `audience not served by this authorization server: ${refused.join(' ')}`,
    );
  return [...new Set(input.audiences)];
}

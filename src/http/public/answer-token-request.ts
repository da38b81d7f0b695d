import type { AuthorizationServer } from '../../domain/types.ts';
import type { Services } from '../../services/create-services.ts';
import type { RateLimiter } from '../../services/create-rate-limiter.ts';
import type { TokenResponse } from '../../services/create-token-service.ts';
import { issueClientToken } from './issue-client-token.ts';
import { parseClientCredentials } from './parse-client-credentials.ts';
import { readTokenParams } from './read-token-params.ts';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../domain/default-authorization-server-id.ts';

export interface TokenRequest {
  server: AuthorizationServer;
  /** The tenant's base URL as the request addressed it (path or claimed host). */
  baseUrl: string;
  /** The issuer as the request addressed it. */
  issuer: string;
  /** The parsed form or JSON body. */
  body: unknown;
  authorization: string | undefined;
  /** Every surface's management audience for a tenant base URL (the surface index's). */
  managementAudiences: (tenantBaseUrl: string) => string[];
  limiter: RateLimiter;
  /** The source address (RequestRules.clientAddress). */
  address: string;
}

/**
 * The client_credentials grant at a tenant's own token endpoints (RFC 6749 §4.4), the same whether
 * Fastify or the fast path received it. Rejects with a SignetError for anything refused.
 */
export async function answerTokenRequest(services: Services, request: TokenRequest): Promise<TokenResponse> {
  const params = readTokenParams(request.body);
  return issueClientToken(services, {
    tenantId: request.server.tenantId,
    authorizationServerId: request.server.id,
    issuer: request.issuer,
    params,
    credentials: () => parseClientCredentials(request.authorization, params),
    limiter: request.limiter,
    address: request.address,
    // The default server also issues every surface's management tokens (Auth0 asks it for `{base}/api/v2/`).
    ...(request.server.id === DEFAULT_AUTHORIZATION_SERVER_ID
      ? { extraAudiences: request.managementAudiences(request.baseUrl) }
      : {}),
  });
}

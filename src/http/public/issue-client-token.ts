import { SignetError } from '../../errors.ts';
import type { Services } from '../../services/create-services.ts';
import type { TokenResponse } from '../../services/create-token-service.ts';
import type { RateLimiter } from '../../services/create-rate-limiter.ts';
import type { ClientCredentials } from './parse-client-credentials.ts';

export interface IssueClientTokenInput {
  tenantId: string;
  authorizationServerId: string;
  issuer: string;
  params: Record<string, string>;
  /** Reads the client credentials; called after the grant type is checked. */
  credentials: () => ClientCredentials;
  extraAudiences?: readonly string[];
  defaultAudiences?: readonly string[];
  /** The instance's limiter and the request's source address (src/http/request-rules.ts). */
  limiter: RateLimiter;
  address: string;
}

/**
 * The client_credentials grant as every token endpoint runs it (native, Auth0, Okta org,
 * OneLogin): check the grant type, authenticate the client, and issue through the one token service.
 * Refusals reject, so every caller handles them in one place whether they arise before or after signing.
 * Rate limits: requests per address, tokens per authenticated client, and a tighter guard on failed
 * authentications per client id and per address, checked before the secret is so that guessing stops.
 */
export async function issueClientToken(services: Services, input: IssueClientTokenInput): Promise<TokenResponse> {
  const { params } = input;
  if (params.grant_type === undefined) throw new SignetError('ERR_VALIDATION', 'grant_type is required');
  if (params.grant_type !== 'client_credentials')
    throw new SignetError('ERR_UNSUPPORTED_GRANT_TYPE', `grant_type ${params.grant_type} is not supported`);
  const credentials = input.credentials();
  const { limiter, address } = input;
  limiter.take('tokenAddress', address);
  limiter.check('authFailureAddress', address);
  limiter.check('authFailureClient', credentials.clientId);
  const client = services.credentials.authenticateClient(credentials.clientId, credentials.clientSecret);
  if (!client || client.tenantId !== input.tenantId) {
    limiter.take('authFailureAddress', address);
    limiter.take('authFailureClient', credentials.clientId);
    throw new SignetError('ERR_UNAUTHENTICATED', 'client authentication failed');
  }
  limiter.take('tokenClient', client.clientId);
  const requested = params.audience ?? params.resource;
  return services.tokens.issueClientCredentialsToken({
    tenantId: input.tenantId,
    authorizationServerId: input.authorizationServerId,
    issuer: input.issuer,
    client,
    scope: params.scope,
    audiences: requested ? [requested] : [],
    ...(input.extraAudiences ? { extraAudiences: input.extraAudiences } : {}),
    ...(input.defaultAudiences ? { defaultAudiences: input.defaultAudiences } : {}),
  });
}

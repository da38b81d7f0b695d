import type { AuthorizationServer } from '../../domain/types.ts';
import { SignetError } from '../../errors.ts';
import type { Services } from '../../services/create-services.ts';
import type { TokenResponse } from '../../services/create-token-service.ts';
import { parseClientCredentials } from './parse-client-credentials.ts';

export interface TokenRequest {
  server: AuthorizationServer;
  /** The issuer as the request addressed it (path or claimed host). */
  issuer: string;
  /** The parsed form body. */
  body: unknown;
  authorization: string | undefined;
}

/** Token request parameters as single strings; a repeated parameter is refused (RFC 6749 §3.2). */
function readParams(body: unknown): Record<string, string> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SignetError('ERR_VALIDATION', 'the token request needs an application/x-www-form-urlencoded body');
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new SignetError('ERR_VALIDATION', `parameter ${name} must be given once, as a string`);
    params[name] = value;
  }
  return params;
}

/**
 * The client_credentials grant at a token endpoint (RFC 6749 §4.4): checks the request, then the
 * client, then issues the token. Throws SignetError for anything refused.
 */
export function answerTokenRequest(services: Services, request: TokenRequest): TokenResponse {
  const body = readParams(request.body);
  if (body.grant_type === undefined) throw new SignetError('ERR_VALIDATION', 'grant_type is required');
  if (body.grant_type !== 'client_credentials') throw new SignetError('ERR_UNSUPPORTED_GRANT_TYPE', `grant_type ${body.grant_type} is not supported`);
  const credentials = parseClientCredentials(request.authorization, body);
  const client = services.credentials.authenticateClient(credentials.clientId, credentials.clientSecret);
  if (!client || client.tenantId !== request.server.tenantId) throw new SignetError('ERR_UNAUTHENTICATED', 'client authentication failed');
  const requested = body.audience ?? body.resource;
  return services.tokens.issueClientCredentialsToken({
    tenantId: request.server.tenantId,
    authorizationServerId: request.server.id,
    issuer: request.issuer,
    client,
    scope: body.scope,
    audiences: requested ? [requested] : [],
  });
}

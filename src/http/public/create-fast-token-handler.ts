import type { Logger } from 'pino';
import type { Registry } from '../../runtime/create-registry.ts';
import type { RateLimiter } from '../../services/create-rate-limiter.ts';
import type { Services } from '../../services/create-services.ts';
import { parseForm } from '../parse-form.ts';
import type { RequestRules } from '../request-rules.ts';
import { acceptFastBodyRequest } from './accept-fast-body-request.ts';
import { answerTokenRequest } from './answer-token-request.ts';
import { oauthErrorReply } from './oauth-error-envelope.ts';
import type { FastHandler } from './fast-handler.ts';
import { createFastRouteMatcher } from './match-fast-route.ts';
import { PUBLIC_PATHS } from './public-paths.ts';
import { serverUrls } from './server-urls.ts';

export interface FastTokenDeps {
  registry: Registry;
  services: Services;
  rules: RequestRules;
  baseUrl: string;
  rootTenantId: string;
  bodyLimitBytes: number;
  isReady: () => boolean;
  logger: Logger | false;
  managementAudiences: (tenantBaseUrl: string) => string[];
  rateLimiter: RateLimiter;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * The token routes of public-routes.ts answered straight from node:http, before Fastify: every
 * client of an issuer calls them, and for an RSA-signed token Fastify's per-request machinery is
 * the largest cost after the signature. Taken only when everything Fastify would check before the
 * body holds (POST, exactly a form content type, a Content-Length within the body limit, a tenant
 * and server that exist, the server ready); anything else goes to Fastify untouched. Once the body
 * is read, success and refusals alike get the response Fastify would send (answerTokenRequest,
 * oauthErrorReply, and the per-request rules of request-rules.ts).
 */
export function createFastTokenHandler(deps: FastTokenDeps): FastHandler {
  const { rules } = deps;
  const gate = {
    rules,
    contentType: FORM,
    bodyLimitBytes: deps.bodyLimitBytes,
    isReady: deps.isReady,
    logger: deps.logger,
    match: createFastRouteMatcher(deps, PUBLIC_PATHS.token, PUBLIC_PATHS.serverToken),
  };
  return (request, response) => {
    const taken = acceptFastBodyRequest(request, response, gate);
    if (!taken) return false;
    const { resolved, server, serverId } = taken.route;
    const issuer = serverUrls(resolved.baseUrl, serverId).issuer;
    taken.readText((text) => {
      // The signature may be computed on the thread pool: the event loop serves other requests meanwhile.
      const answer = async () =>
        answerTokenRequest(deps.services, {
          server,
          baseUrl: resolved.baseUrl,
          issuer,
          body: parseForm(text),
          authorization: request.headers.authorization,
          managementAudiences: deps.managementAudiences,
          limiter: deps.rateLimiter,
          address: rules.clientAddress(request),
        });
      answer().then(
        (token) => taken.sendJson(200, { 'cache-control': 'no-store', pragma: 'no-cache' }, JSON.stringify(token)),
        (error: unknown) => {
          const refusal = oauthErrorReply(taken.refusalOf(error));
          taken.sendJson(refusal.status, { ...refusal.headers }, JSON.stringify(refusal.body));
        },
      );
    });
    return true;
  };
}

import type { Logger } from 'pino';
import type { AccessTokenVerifier } from '../../crypto/verify-access-token.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { RateLimiter } from '../../services/create-rate-limiter.ts';
import type { Services } from '../../services/create-services.ts';
import type { ManagementAudience } from '../authenticate.ts';
import { limitManagement } from '../limit-management.ts';
import { acceptFastBodyRequest } from '../public/accept-fast-body-request.ts';
import type { FastHandler } from '../public/fast-handler.ts';
import { createFastRouteMatcher } from '../public/match-fast-route.ts';
import { rateLimitHeaders } from '../rate-limit-headers.ts';
import { errorStatus } from '../render-error.ts';
import type { RequestRules } from '../request-rules.ts';
import { schemaValidationError, type SchemaViolation } from '../schema-validation-error.ts';
import { answerSignRequest } from './answer-sign-request.ts';
import { authorizeNativeRequest } from './authorize-native-request.ts';
import { nativeErrorEnvelope, nativeErrorReply } from './native-error-envelope.ts';
import { NATIVE_PREFIX } from './native-surface.ts';
import type { SignRequestBody } from './resource-types.ts';
import { SIGN_PATH } from './sign-path.ts';

/** A compiled body validator (ajv's), with the violations of its last call. */
export interface BodyValidator {
  (body: unknown): boolean;
  errors?: SchemaViolation[] | null;
}

export interface FastSignDeps {
  registry: Registry;
  services: Services;
  rules: RequestRules;
  verifier: AccessTokenVerifier;
  now: () => number;
  baseUrl: string;
  rootTenantId: string;
  bodyLimitBytes: number;
  isReady: () => boolean;
  logger: Logger | false;
  managementAudiences: (tenantBaseUrl: string) => string[];
  /** The native surface's management audience (its descriptor's). */
  nativeAudience: ManagementAudience;
  rateLimiter: RateLimiter;
  /** SIGN_BODY_SCHEMA compiled by the ajv Fastify validates JSON bodies with. */
  validateBody: BodyValidator;
  /** Fastify's own JSON body parser; throws the error Fastify's parser gives. */
  parseJson: (text: string) => unknown;
}

const JSON_TYPE = 'application/json';

/**
 * `POST {tenant}/signet/v1/authorization-servers/{id}/sign` (sign-routes.ts) answered straight from
 * node:http, before Fastify, on the pattern of the token endpoint's fast path. Taken only when
 * everything Fastify would check before the body holds (POST, exactly `application/json`, a
 * Content-Length within the body limit, no transfer encoding, a tenant and server that exist, the
 * instance ready); anything else goes to Fastify untouched. From there it runs the steps Fastify
 * runs, in its order and with the same functions: the management rate limit (onRequest), Fastify's
 * JSON parser, the same compiled body schema, the native guard (preHandler), the route's answer;
 * success and refusals get the response Fastify would send (native envelope, request rules).
 */
export function createFastSignHandler(deps: FastSignDeps): FastHandler {
  const { rules } = deps;
  const gate = {
    rules,
    contentType: JSON_TYPE,
    bodyLimitBytes: deps.bodyLimitBytes,
    isReady: deps.isReady,
    logger: deps.logger,
    match: createFastRouteMatcher(deps, null, `${NATIVE_PREFIX}${SIGN_PATH}`),
  };
  const authenticateOptions = { ...deps, credentials: deps.services.credentials };
  return (request, response) => {
    const taken = acceptFastBodyRequest(request, response, gate);
    if (!taken) return false;
    // The route's params schema (an id of at most 63 characters) holds: the server exists, and ids are validated on creation.
    const { resolved, server } = taken.route;
    const refuse = (error: unknown): void => {
      const signetError = taken.refusalOf(error);
      const status = errorStatus(signetError, nativeErrorEnvelope);
      const refusal = nativeErrorReply(signetError, status, taken.requestId);
      const headers = { ...rateLimitHeaders(signetError, nativeErrorEnvelope.rateLimitHeaders), ...refusal.headers };
      taken.sendJson(status, headers, JSON.stringify(refusal.body));
    };
    const authorization = request.headers.authorization;
    // Fastify's onRequest hook: a management call counts before its body is read.
    try {
      limitManagement(deps.rateLimiter, rules.clientAddress(request), authorization);
    } catch (error) {
      refuse(error);
      return true;
    }
    taken.readText((text) => {
      let body: unknown;
      try {
        body = deps.parseJson(text);
      } catch (error) {
        refuse(error);
        return;
      }
      // Fastify validates the body before its preHandler hooks run: a bad body is a 400 whoever sends it.
      if (!deps.validateBody(body)) {
        refuse(schemaValidationError(deps.validateBody.errors ?? [], 'body'));
        return;
      }
      const tenant = resolved.tenant;
      authorizeNativeRequest({ authorization, tenant }, authenticateOptions, deps.nativeAudience, 'tokens:sign')
        .then((principal) =>
          answerSignRequest(deps, {
            principal,
            tenant,
            tenantBaseUrl: resolved.baseUrl,
            authorizationServerId: server.id,
            body: body as SignRequestBody,
          }),
        )
        .then((resource) => taken.sendJson(200, {}, JSON.stringify(resource)), refuse);
    });
    return true;
  };
}

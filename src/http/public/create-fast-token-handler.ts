import type { Logger } from 'pino';
import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../../domain/default-authorization-server-id.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { Services } from '../../services/create-services.ts';
import { parseForm } from '../parse-form.ts';
import type { RequestRules } from '../request-rules.ts';
import { resolveTenant } from '../resolve-tenant.ts';
import { toSignetError } from '../to-signet-error.ts';
import { answerTokenRequest } from './answer-token-request.ts';
import { oauthErrorReply } from './oauth-error-envelope.ts';
import type { FastHandler } from './fast-handler.ts';
import { PUBLIC_PATHS } from './public-paths.ts';
import { serverUrls } from './server-urls.ts';
import { matchOneParam, routeLabels, splitTenantPath } from './split-tenant-path.ts';

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
  const tenantOptions = { baseUrl: deps.baseUrl, rootTenantId: deps.rootTenantId };
  const { rules } = deps;
  const serverToken = matchOneParam(PUBLIC_PATHS.serverToken);
  const defaultLabels = routeLabels(PUBLIC_PATHS.token);
  const serverLabels = routeLabels(PUBLIC_PATHS.serverToken);
  return (request, response) => {
    if (request.method !== 'POST' || !deps.isReady()) return false;
    const started = performance.now();
    const split = splitTenantPath(request.url ?? '');
    if (!split) return false;
    const { tenantId, rest } = split;
    let serverId: string | undefined;
    if (rest !== PUBLIC_PATHS.token) {
      serverId = serverToken(rest) ?? undefined;
      if (serverId === undefined) return false;
    }
    // An empty, chunked, oversized or differently typed body is Fastify's to refuse or parse.
    const length = Number(request.headers['content-length']);
    if (request.headers['content-type'] !== FORM || request.headers['transfer-encoding'] !== undefined) return false;
    if (!Number.isSafeInteger(length) || length < 1 || length > deps.bodyLimitBytes) return false;
    let resolved;
    let server;
    try {
      resolved = resolveTenant(deps.registry, tenantOptions, tenantId, request.headers.host);
      server = deps.registry.getAuthorizationServer(resolved.tenant.id, serverId ?? DEFAULT_AUTHORIZATION_SERVER_ID);
    } catch {
      return false;
    }
    if (!server) return false;
    const issuer = serverUrls(resolved.baseUrl, serverId).issuer;
    const requestId = rules.requestId(request);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, headers: Record<string, string | number>, payload: string): void => {
        headers['content-type'] = 'application/json; charset=utf-8';
        headers['content-length'] = Buffer.byteLength(payload);
        response.writeHead(status, rules.addResponseHeaders(headers, requestId));
        response.end(payload);
        const labels = serverId === undefined ? defaultLabels : serverLabels;
        rules.observe(
          'POST',
          tenantId === undefined ? labels.root : labels.tenant,
          status,
          (performance.now() - started) / 1000,
        );
      };
      // The signature may be computed on the thread pool: the event loop serves other requests meanwhile.
      const answer = async () =>
        answerTokenRequest(deps.services, {
          server,
          baseUrl: resolved.baseUrl,
          issuer,
          body: parseForm((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')),
          authorization: request.headers.authorization,
          managementAudiences: deps.managementAudiences,
        });
      answer().then(
        (token) => send(200, { 'cache-control': 'no-store', pragma: 'no-cache' }, JSON.stringify(token)),
        (error: unknown) => {
          const signetError = toSignetError(error);
          if (signetError.code === 'ERR_INTERNAL' && deps.logger)
            deps.logger.error({ err: error, reqId: requestId }, 'unhandled error');
          const refusal = oauthErrorReply(signetError);
          send(refusal.status, { ...refusal.headers }, JSON.stringify(refusal.body));
        },
      );
    });
    return true;
  };
}

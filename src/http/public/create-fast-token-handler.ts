import type { Logger } from 'pino';
import type { Metrics } from '../../metrics/create-metrics.ts';
import type { Registry } from '../../runtime/create-registry.ts';
import type { Services } from '../../services/create-services.ts';
import { parseForm } from '../parse-form.ts';
import { oauthErrorReply } from '../render-error.ts';
import { resolveTenant } from '../resolve-tenant.ts';
import { toSignetError } from '../to-signet-error.ts';
import { answerTokenRequest } from './answer-token-request.ts';
import { requestIdOf, type FastHandler } from './fast-handler.ts';
import { serverUrls } from './server-urls.ts';
import { serverIdOf, splitTenantPath } from './split-tenant-path.ts';

export interface FastTokenDeps {
  registry: Registry;
  services: Services;
  metrics: Metrics;
  baseUrl: string;
  rootTenantId: string;
  bodyLimitBytes: number;
  isReady: () => boolean;
  logger: Logger | false;
}

const FORM = 'application/x-www-form-urlencoded';
const DEFAULT_TOKEN = '/oauth/token';
const TOKEN_HEADERS = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * The token routes of public-routes.ts answered straight from node:http, before Fastify: every
 * client of an issuer calls them, and for an RSA-signed token Fastify's per-request machinery is
 * the largest cost after the signature. Taken only when everything Fastify would check before the
 * body holds (POST, exactly a form content type, a Content-Length within the body limit, a tenant
 * and server that exist, the server ready); anything else goes to Fastify untouched. Once the body
 * is read, success and refusals alike get the response Fastify would send (answerTokenRequest,
 * oauthErrorReply, x-request-id, the request metric).
 */
export function createFastTokenHandler(deps: FastTokenDeps): FastHandler {
  const tenantOptions = { baseUrl: deps.baseUrl, rootTenantId: deps.rootTenantId };
  return (request, response) => {
    if (request.method !== 'POST' || !deps.isReady()) return false;
    const started = performance.now();
    const split = splitTenantPath(request.url ?? '');
    if (!split) return false;
    const { tenantId, rest } = split;
    let serverId: string | undefined;
    if (rest !== DEFAULT_TOKEN) {
      serverId = serverIdOf(rest, '/v1/token') ?? undefined;
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
      server = deps.registry.getAuthorizationServer(resolved.tenant.id, serverId ?? 'default');
    } catch {
      return false;
    }
    if (!server) return false;
    const issuer = serverUrls(resolved.baseUrl, serverId).issuer;
    const requestId = requestIdOf(request);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, headers: Record<string, string>, payload: string): void => {
        response.writeHead(status, {
          'x-request-id': requestId,
          ...headers,
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(payload)),
          // While shutting down, responses close their connection (as create-app's onSend hook does).
          ...(deps.isReady() ? {} : { connection: 'close' }),
        });
        response.end(payload);
        const route = `${tenantId === undefined ? '' : '/t/:addressedTenant'}${serverId === undefined ? DEFAULT_TOKEN : '/oauth2/:serverId/v1/token'}`;
        deps.metrics.observeRequest('POST', route, status, (performance.now() - started) / 1000);
      };
      // The signature may be computed on the thread pool: the event loop serves other requests meanwhile.
      const answer = async () =>
        answerTokenRequest(deps.services, {
          server,
          baseUrl: resolved.baseUrl,
          issuer,
          body: parseForm((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')),
          authorization: request.headers.authorization,
        });
      answer().then(
        (token) => send(200, TOKEN_HEADERS, JSON.stringify(token)),
        (error: unknown) => {
          const signetError = toSignetError(error);
          if (signetError.code === 'ERR_INTERNAL' && deps.logger)
            deps.logger.error({ err: error, reqId: requestId }, 'unhandled error');
          const refusal = oauthErrorReply(signetError);
          send(refusal.status, refusal.headers, JSON.stringify(refusal.body));
        },
      );
    });
    return true;
  };
}

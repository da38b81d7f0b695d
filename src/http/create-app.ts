import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Ajv } from 'ajv';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { createAccessTokenVerifier } from '../crypto/verify-access-token.ts';
import { SignetError } from '../errors.ts';
import type { Metrics } from '../metrics/create-metrics.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Services } from '../services/create-services.ts';
import './fastify-types.ts';
import { answerClientError } from './answer-client-error.ts';
import { answerConnectRequests } from './answer-connect-requests.ts';
import { lingerOnClose } from './linger-on-close.ts';
import { dialectRoutes } from './dialects/dialect-routes.ts';
import { nativeRoutes } from './native/native-routes.ts';
import { createOpenApiCollector } from './openapi-collector.ts';
import { opsRoutes } from './ops-routes.ts';
import { parseForm } from './parse-form.ts';
import { createFastJwksHandler } from './public/create-fast-jwks-handler.ts';
import { createFastTokenHandler } from './public/create-fast-token-handler.ts';
import { publicRoutes } from './public/public-routes.ts';
import { renderError } from './render-error.ts';
import { resolveTenant } from './resolve-tenant.ts';
import { surfaceOfUrl } from './surface-of-url.ts';
import { toSignetError } from './to-signet-error.ts';
import { loadUiAssets } from './ui/load-ui-assets.ts';
import { uiRoutes } from './ui/ui-routes.ts';

export const NATIVE_PREFIX = '/signet/v1';

export interface AppDeps {
  services: Services;
  registry: Registry;
  metrics: Metrics;
  now: () => number;
  /** Public base URL of the root tenant, without a trailing slash. */
  baseUrl: string;
  rootTenantId: string;
  bodyLimitBytes: number;
  /** Take the client address from X-Forwarded-For (behind a reverse proxy). */
  trustProxy?: boolean;
  logger: Logger | false;
  isReady?: () => boolean;
  /** Whether the database answers, for /readyz; public traffic is served from memory either way. */
  checkDatabase?: () => Promise<boolean>;
  version?: string;
}

/** Builds the HTTP application (every surface of docs/spec.md §5); it never listens. */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const options: FastifyServerOptions = {
    bodyLimit: deps.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    trustProxy: deps.trustProxy ?? false,
    // The JWKS and token requests are answered before Fastify when they can be (create-fast-*-handler.ts).
    serverFactory: (handler, settings) => {
      const fastDeps = { ...deps, isReady: deps.isReady ?? (() => true) };
      const fastJwks = createFastJwksHandler(fastDeps);
      const fastToken = createFastTokenHandler(fastDeps);
      const server = createServer((request, response) => {
        if (!fastJwks(request, response) && !fastToken(request, response)) handler(request, response);
      });
      // What Fastify sets on a server it creates itself (the settings carry its defaults by now).
      const timeouts = settings as unknown as {
        keepAliveTimeout: number;
        requestTimeout: number;
        connectionTimeout: number;
      };
      server.keepAliveTimeout = timeouts.keepAliveTimeout;
      server.requestTimeout = timeouts.requestTimeout;
      server.setTimeout(timeouts.connectionTimeout);
      answerConnectRequests(server, handler);
      lingerOnClose(server);
      return server;
    },
  };
  // JSON bodies are validated as sent (a string is never coerced into an array or a number);
  // query strings and path parameters arrive as text, so they are coerced.
  const ajvOptions = {
    removeAdditional: false,
    useDefaults: false,
    allErrors: false,
    strict: false,
    validateFormats: false,
  } as const;
  const bodyAjv = new Ajv({ ...ajvOptions, coerceTypes: false });
  const textAjv = new Ajv({ ...ajvOptions, coerceTypes: 'array' });
  // Failures before routing (a malformed URL, an over-long path parameter) answer like any other error.
  options.frameworkErrors = (error, request, reply) => {
    const message =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : 'malformed request URL';
    return renderError(
      request,
      reply,
      new SignetError('ERR_VALIDATION', message, { location: 'params' }),
      surfaceOfUrl(request.url),
    );
  };
  const app: FastifyInstance = deps.logger
    ? Fastify({ ...options, loggerInstance: deps.logger as FastifyBaseLogger })
    : Fastify(options);
  const openApi = createOpenApiCollector({
    title: 'Signet',
    version: deps.version ?? '0.1.0',
    pathPrefix: NATIVE_PREFIX,
  });
  const verifier = createAccessTokenVerifier();
  const tenantOptions = { baseUrl: deps.baseUrl, rootTenantId: deps.rootTenantId };
  const uiAssets = loadUiAssets();

  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
  app.decorateRequest('resolved', null);
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => openApi.collect(route));
  // Hooks on every request use callbacks, not async functions: no promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // While shutting down, responses close their connection so the drain ends with the last one.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (deps.isReady && !deps.isReady()) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    deps.metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  // Management bodies are JSON; token requests are form-encoded. Anything else is a 415.
  app.removeContentTypeParser('text/plain');
  // RFC 6749 token requests are form-encoded; a repeated parameter is kept as an array so it can be refused.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, parseForm(body as string)),
  );

  app.setErrorHandler((error, request, reply) => {
    const signetError = toSignetError(error);
    if (signetError.code === 'ERR_INTERNAL') request.log.error({ err: error }, 'unhandled error');
    return renderError(request, reply, signetError, request.routeOptions.config?.surface ?? surfaceOfUrl(request.url));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new SignetError('ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return renderError(request, reply, error, surfaceOfUrl(request.url));
  });

  const tenantScoped = async (scope: FastifyInstance): Promise<void> => {
    scope.addHook('onRequest', async (request) => {
      // The prefix parameter has its own name so that a route's own `:tenantId` is never taken for it.
      const params = request.params as { addressedTenant?: string };
      request.resolved = resolveTenant(deps.registry, tenantOptions, params.addressedTenant, request.headers.host);
    });
    await scope.register(publicRoutes, { registry: deps.registry, services: deps.services, now: deps.now });
    await scope.register(uiRoutes, { assets: uiAssets, rootTenantId: deps.rootTenantId });
    await scope.register(nativeRoutes, {
      prefix: NATIVE_PREFIX,
      services: deps.services,
      registry: deps.registry,
      verifier,
      ...tenantOptions,
      now: deps.now,
      openApiDocument: (serverUrl: string) => openApi.document(`${serverUrl}${NATIVE_PREFIX}`),
    });
    await scope.register(dialectRoutes, {
      services: deps.services,
      registry: deps.registry,
      verifier,
      ...tenantOptions,
      now: deps.now,
    });
  };
  await app.register(opsRoutes, {
    metrics: deps.metrics,
    isReady: deps.isReady ?? (() => true),
    checkDatabase: deps.checkDatabase ?? (async () => true),
  });
  await app.register(tenantScoped);
  await app.register(tenantScoped, { prefix: '/t/:addressedTenant' });
  return app;
}

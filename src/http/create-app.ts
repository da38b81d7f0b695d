import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
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
import { NATIVE_PREFIX } from './native/native-surface.ts';
import { createOpenApiCollector } from './openapi-collector.ts';
import { parseForm } from './parse-form.ts';
import { createFastJwksHandler } from './public/create-fast-jwks-handler.ts';
import { createFastTokenHandler } from './public/create-fast-token-handler.ts';
import { createFastSignHandler } from './native/create-fast-sign-handler.ts';
import { SIGN_BODY_SCHEMA } from './native/sign-schemas.ts';
import { nativeSurface } from './native/native-surface.ts';
import { schemaValidationError } from './schema-validation-error.ts';
import { createRateLimiter, type RateLimitSettings } from '../services/create-rate-limiter.ts';
import { limitManagement, RATE_LIMITS_OFF } from './limit-management.ts';
import { renderError } from './render-error.ts';
import { createRequestRules, type ServingPath } from './request-rules.ts';
import { resolveTenant } from './resolve-tenant.ts';
import type { SurfaceDeps } from './surface-descriptor.ts';
import { createSurfaceIndex } from './surface-index.ts';
import { SURFACES } from './surfaces.ts';
import { TENANT_PREFIX } from './tenant-prefix.ts';
import { toSignetError } from './to-signet-error.ts';
import { loadUiAssets } from './ui/load-ui-assets.ts';

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
  /** The rate limits (src/config/defaults.ts); absent, nothing is limited (in-process tests that do not test limits). */
  rateLimits?: RateLimitSettings;
  /** How many instances share the rate limits (each enforces its share); 1 when absent. */
  instances?: () => number;
  logger: Logger | false;
  isReady?: () => boolean;
  /** Whether the database answers, for /readyz; public traffic is served from memory either way. */
  checkDatabase?: () => Promise<boolean>;
  /** Whether the key custodies can sign (a PKCS#11 token may go away), for /readyz. */
  checkCustody?: () => Promise<boolean>;
  version?: string;
  /** Note JWKS fetches for verifier readiness (default true); off only for the bench's comparison. */
  trackReadiness?: boolean;
  /**
   * Tests only: told which path answered each request (a fast handler or Fastify), so a test can
   * prove the fast paths serve what they claim. Production leaves it unset; the server's listener
   * is chosen once, so the hook costs nothing per request when absent.
   */
  onServed?: (path: ServingPath, request: IncomingMessage) => void;
}

/** Builds the HTTP application (every surface of docs/spec.md §5); it never listens. */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const isReady = deps.isReady ?? (() => true);
  const rules = createRequestRules({
    metrics: deps.metrics,
    isReady,
    readiness: deps.trackReadiness === false ? null : deps.services.readiness.recorder,
    trustProxy: deps.trustProxy ?? false,
  });
  const rateLimiter = createRateLimiter({
    now: deps.now,
    settings: deps.rateLimits ?? RATE_LIMITS_OFF,
    ...(deps.instances ? { instances: deps.instances } : {}),
  });
  const surfaces = createSurfaceIndex(SURFACES);
  const verifier = createAccessTokenVerifier();
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
  // Fastify's own JSON parser, shared with the fast sign path once the app exists (below).
  let parseJson: ((text: string) => unknown) | undefined;
  const options: FastifyServerOptions = {
    bodyLimit: deps.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Fastify's wording of a schema violation, written once so the fast sign path words it alike.
    schemaErrorFormatter: (errors, dataVar) => schemaValidationError(errors, dataVar),
    // The one request-id rule of request-rules.ts, which the fast paths apply too.
    requestIdHeader: false,
    genReqId: (request) => rules.requestId(request),
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    trustProxy: deps.trustProxy ?? false,
    // The JWKS, token and sign requests are answered before Fastify when they can be (create-fast-*-handler.ts).
    serverFactory: (handler, settings) => {
      const fastDeps = { ...deps, rules, isReady, rateLimiter, managementAudiences: surfaces.managementAudiences };
      const fastJwks = createFastJwksHandler(fastDeps);
      const fastToken = createFastTokenHandler(fastDeps);
      const fastSign = createFastSignHandler({
        ...fastDeps,
        verifier,
        nativeAudience: nativeSurface.managementAudience!,
        // The very validator Fastify's route compiles (ajv caches a compiled schema per schema object).
        validateBody: bodyAjv.compile(SIGN_BODY_SCHEMA),
        parseJson: (text) => parseJson!(text),
      });
      const onServed = deps.onServed;
      const listener: RequestListener = onServed
        ? (request, response) => {
            if (fastJwks(request, response)) onServed('fast-jwks', request);
            else if (fastToken(request, response)) onServed('fast-token', request);
            else if (fastSign(request, response)) onServed('fast-sign', request);
            else {
              onServed('fastify', request);
              handler(request, response);
            }
          }
        : (request, response) => {
            if (!fastJwks(request, response) && !fastToken(request, response) && !fastSign(request, response))
              handler(request, response);
          };
      const server = createServer(listener);
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
  // Failures before routing (a malformed URL, an over-long path parameter) answer like any other error.
  options.frameworkErrors = (error, request, reply) => {
    const message =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : 'malformed request URL';
    return renderError(
      request,
      reply,
      new SignetError('ERR_VALIDATION', message, { location: 'params' }),
      surfaces.envelopeOfUrl(request.url),
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
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  parseJson = (text) => {
    let failure: Error | null = null;
    let parsed: unknown;
    jsonParser(null as never, text, (error, value) => {
      failure = error;
      parsed = value;
    });
    if (failure) throw failure;
    return parsed;
  };
  const tenantOptions = { baseUrl: deps.baseUrl, rootTenantId: deps.rootTenantId };
  const uiAssets = loadUiAssets();

  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
  app.decorateRequest('resolved', null);
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    surfaces.addRoute(route.url, route.config?.surface);
    openApi.collect(route);
  });
  // Hooks on every request use callbacks, not async functions: no promise per request on the hot path.
  // The per-request rules of request-rules.ts, which the fast paths call too.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.headers(rules.addResponseHeaders({}, request.id));
    done(null, payload);
  });
  // Management calls (native routes with a scope, dialect routes with vendor scopes) count per
  // address and per credential presented before anything else runs; JWKS, discovery and the token
  // endpoints (limited by issueClientToken) never draw on these buckets.
  app.addHook('onRequest', (request, _reply, done) => {
    const config = request.routeOptions.config;
    if (config?.scope === undefined && config?.vendorScopes === undefined) {
      done();
      return;
    }
    try {
      limitManagement(rateLimiter, rules.clientAddress(request.raw), request.headers.authorization);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  app.addHook('onResponse', (request, reply, done) => {
    rules.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
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
    const surface = request.routeOptions.config?.surface;
    return renderError(
      request,
      reply,
      signetError,
      surface === undefined ? surfaces.envelopeOfUrl(request.url) : surfaces.envelope(surface),
    );
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new SignetError('ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return renderError(request, reply, error, surfaces.envelopeOfUrl(request.url));
  });

  const surfaceDeps: SurfaceDeps = {
    services: deps.services,
    registry: deps.registry,
    verifier,
    ...tenantOptions,
    now: deps.now,
    metrics: deps.metrics,
    isReady,
    checkDatabase: deps.checkDatabase ?? (async () => true),
    checkCustody: deps.checkCustody ?? (async () => true),
    uiAssets,
    openApiDocument: (serverUrl: string) => openApi.document(`${serverUrl}${NATIVE_PREFIX}`),
    managementAudiences: surfaces.managementAudiences,
    rateLimiter,
    rules,
  };
  // Each surface is its own encapsulated plugin, registered as its descriptor says (src/http/surfaces.ts).
  const registerSurfaces = async (scope: FastifyInstance, which: 'root' | 'tenant'): Promise<void> => {
    for (const descriptor of SURFACES)
      if (descriptor.scope === which)
        await scope.register(descriptor.routes, {
          ...surfaceDeps,
          descriptor,
          ...(descriptor.mount !== undefined ? { prefix: descriptor.mount } : {}),
        });
  };
  const tenantScoped = async (scope: FastifyInstance): Promise<void> => {
    scope.addHook('onRequest', async (request) => {
      // The prefix parameter has its own name so that a route's own `:tenantId` is never taken for it.
      const params = request.params as { addressedTenant?: string };
      request.resolved = resolveTenant(deps.registry, tenantOptions, params.addressedTenant, request.headers.host);
    });
    await registerSurfaces(scope, 'tenant');
  };
  await registerSurfaces(app, 'root');
  await app.register(tenantScoped);
  await app.register(tenantScoped, { prefix: TENANT_PREFIX });
  return app;
}

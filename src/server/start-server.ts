import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import type { ServeConfig } from '../config/load-config.ts';
import { createApp } from '../http/create-app.ts';
import { serverUrls } from '../http/public/server-urls.ts';
import { tenantBaseUrls } from '../http/resolve-tenant.ts';
import { createSurfaceIndex } from '../http/surface-index.ts';
import { SURFACES } from '../http/surfaces.ts';
import { createKubernetesSigner } from '../kubernetes/create-kubernetes-signer.ts';
import { ensureKubernetesServer } from '../kubernetes/ensure-kubernetes-server.ts';
import { serveKubernetesSigner, type RunningKubernetesSigner } from '../kubernetes/serve-kubernetes-signer.ts';
import { createMetrics, type Metrics } from '../metrics/create-metrics.ts';
import { followStoreChanges } from '../runtime/follow-store-changes.ts';
import { createScheduler } from '../scheduler/create-scheduler.ts';
import { createWebhookDispatcher } from '../webhooks/create-webhook-dispatcher.ts';
import { createWebhookSender } from '../webhooks/send-webhook.ts';
import type { ChangeRelay } from '../storage/change-relay.ts';
import type { Store } from '../storage/store.ts';
import { createLogger } from './create-logger.ts';
import { checkDatabase } from './check-database.ts';
import { openRuntime, prepareDatabase, type Runtime } from './open-runtime.ts';

/** A running Signet: its address and a graceful stop. */
export interface RunningServer {
  app: FastifyInstance;
  url: string;
  logger: Logger;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /**
   * Set in a worker of `signet serve --workers N`: the primary has migrated and bootstrapped the
   * database and prints the banner; `relay` carries committed changes between workers on SQLite.
   */
  worker?: { id: number; relay?: ChangeRelay };
}

/** Starts one Signet instance: data directory, master key, store, bootstrap, HTTP, scheduler, change feed. */
export async function startServer(
  config: ServeConfig,
  print: (line: string) => void,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const baseLogger = createLogger(config.logLevel);
  const logger = options.worker ? baseLogger.child({ worker: options.worker.id }) : baseLogger;
  let metrics: Metrics | null = null;
  const runtime = await openRuntime(config, logger, {
    ...(options.worker?.relay ? { relay: options.worker.relay } : {}),
    onTokenSigned: (kid) => metrics?.tokenSigned(kid),
    onSignatureRecorded: (entry) => metrics?.signatureRecorded(entry),
  });
  try {
    return await startInstance(config, print, options, logger, runtime, (created) => (metrics = created));
  } catch (error) {
    // Open connections (the PostgreSQL pool and listener) would keep a failed start-up alive.
    await runtime.close().catch(() => undefined);
    throw error;
  }
}

async function startInstance(
  config: ServeConfig,
  print: (line: string) => void,
  options: StartServerOptions,
  logger: Logger,
  runtime: Runtime,
  setMetrics: (metrics: Metrics) => void,
): Promise<RunningServer> {
  const { store, registry, services, pool, now, ledger } = runtime;
  const metrics = createMetrics({
    registry,
    now,
    store,
    credentialLabels: config.signatureMetricCredentials,
    readiness: services.readiness,
  });
  setMetrics(metrics);
  // Follow other instances' changes from before the first load, so none falls between the two.
  const follower = followStoreChanges({
    store,
    registry,
    reconcileIntervalMs: config.reconcileIntervalSeconds * 1000,
    logger,
  });
  let boot: Awaited<ReturnType<typeof prepareDatabase>> | null = null;
  try {
    if (options.worker) await registry.reloadAll();
    else boot = await prepareDatabase(runtime, config);
    if (config.k8sSigner)
      await ensureKubernetesServer(services, config.k8sSigner.tenantId, config.k8sSigner.authorizationServerId);
  } catch (error) {
    await follower.stop();
    throw error;
  }
  for (const view of registry.listKeySetViews())
    pool.warm(view.keySet.alg, view.keySet.rsaModulusLength, view.keySet.policy.certificateValiditySeconds);

  let ready = false;
  const instances = followInstanceCount(store, config.workers, logger);
  const app = await createApp({
    services,
    registry,
    metrics,
    now,
    baseUrl: config.baseUrl,
    rootTenantId: BOOTSTRAP_DEFAULTS.tenantId,
    bodyLimitBytes: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    rateLimits: config.rateLimits,
    instances: instances.count,
    logger,
    isReady: () => ready,
    checkDatabase: () => checkDatabase(store),
    trackReadiness: config.readinessTracking,
    checkCustody: () => runtime.custodies.check(),
  });
  // Each instance writes the JWKS consumers it saw at an interval, never per request.
  const flushReadiness = () =>
    services.readiness
      .flush()
      .catch((error: unknown) => logger.warn({ err: error }, 'writing verifier readiness failed'));
  const readinessTimer = setInterval(flushReadiness, config.readinessFlushIntervalSeconds * 1000);
  readinessTimer.unref();
  const scheduler = createScheduler({
    registry,
    keys: services.keys,
    certificateExpiry: services.certificateExpiry,
    now,
    intervalMs: config.schedulerIntervalSeconds * 1000,
    sweepIntervalMs: config.pkcs11SweepIntervalSeconds * 1000,
    logger,
  });
  const urlOptions = { baseUrl: config.baseUrl, rootTenantId: BOOTSTRAP_DEFAULTS.tenantId };
  const dispatcher = createWebhookDispatcher({
    store,
    webhooks: services.webhooks,
    send: createWebhookSender({
      timeoutMs: config.webhooks.timeoutSeconds * 1000,
      maxResponseBytes: config.webhooks.maxResponseBytes,
      allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
    }),
    now,
    sourceOf: (tenantId) => tenantBaseUrls(tenantId, [], urlOptions)[0] as string,
    leaseMs: config.webhooks.leaseSeconds * 1000,
    failingAfter: config.webhooks.failingAfter,
    pollIntervalMs: config.webhooks.pollIntervalSeconds * 1000,
    logger,
    onAttempt: metrics.webhookAttempted,
  });
  // A commit here (or one another instance announces) may have queued deliveries: look at once.
  const stopKicking = store.subscribe?.(() => dispatcher.kick());
  const address = await app.listen({ port: config.port, host: config.host });
  let k8sSigner: RunningKubernetesSigner | null = null;
  if (config.k8sSigner) {
    try {
      k8sSigner = await startKubernetesSigner(config, runtime, metrics, logger);
    } catch (error) {
      stopKicking?.();
      instances.stop();
      await app.close();
      await follower.stop();
      throw error;
    }
  }
  scheduler.start();
  dispatcher.start();
  ledger.start();
  ready = true;

  if (boot) {
    print(`Signet is listening on ${address}`);
    if (k8sSigner) print(`Kubernetes ExternalJWTSigner on unix:${k8sSigner.path}`);
    printBanner(config, boot, print);
  }

  let stopping: Promise<void> | null = null;
  return {
    app,
    url: address,
    logger,
    stop() {
      stopping ??= (async () => {
        ready = false;
        await scheduler.stop();
        await k8sSigner?.stop();
        instances.stop();
        stopKicking?.();
        await dispatcher.stop();
        const grace = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
        grace.unref();
        await app.close();
        clearTimeout(grace);
        clearInterval(readinessTimer);
        await flushReadiness();
        // After the last request: the counts since the last interval reach the audit log.
        await ledger.stop().catch((error) => logger.warn({ err: error }, 'last signature counts not written'));
        await follower.stop();
        await runtime.close();
      })();
      return stopping;
    },
  };
}

/** Serves Kubernetes' ExternalJWTSigner for the configured server, with the issuer its tokens must carry. */
async function startKubernetesSigner(
  config: ServeConfig,
  { registry, services, now }: Runtime,
  metrics: ReturnType<typeof createMetrics>,
  logger: Logger,
): Promise<RunningKubernetesSigner> {
  const { socketPath, tenantId, authorizationServerId } = config.k8sSigner!;
  const options = { baseUrl: config.baseUrl, rootTenantId: BOOTSTRAP_DEFAULTS.tenantId };
  const bases = tenantBaseUrls(tenantId, registry.getTenant(tenantId)?.hostNames ?? [], options);
  const surfaces = createSurfaceIndex(SURFACES);
  const signer = createKubernetesSigner({
    registry,
    signing: services.signing,
    now,
    tenantId,
    authorizationServerId,
    issuer: serverUrls(bases[0]!, authorizationServerId).issuer,
    reservedAudiences: bases.flatMap(surfaces.managementAudiences),
    readiness: config.readinessTracking ? services.readiness.recorder : null,
  });
  return serveKubernetesSigner({ path: socketPath, signer, logger, observe: metrics.kubernetesCall });
}

/** Prints where Signet is and where the admin credentials are (the last line is what scripts wait for). */
export function printBanner(
  config: ServeConfig,
  boot: { created: boolean; credentialsPath: string },
  print: (line: string) => void,
): void {
  print(`Issuer:          ${config.baseUrl}`);
  print(`Discovery:       ${config.baseUrl}/.well-known/openid-configuration`);
  print(`Dashboard:       ${config.baseUrl}/ui/`);
  print(`Management API:  ${config.baseUrl}/signet/v1 (OpenAPI: ${config.baseUrl}/signet/v1/openapi.json)`);
  if (boot.created) print(`Bootstrap admin credentials written to ${boot.credentialsPath} (mode 0600)`);
  else print(`Bootstrap admin credentials: ${boot.credentialsPath} (written when the database was created)`);
}

/** How often an instance recounts the instances sharing its database (the rate limits' divisor). */
const INSTANCE_COUNT_INTERVAL_MS = 5_000;

/**
 * Keeps the number of instances sharing the store current (Store.countInstances, every 5 s), so
 * each enforces its share of the rate limits. Where the store cannot count (SQLite) the processes
 * are this server's `--workers`, which node:cluster hands connections to in turn.
 */
function followInstanceCount(store: Store, workers: number, logger: Logger): { count: () => number; stop: () => void } {
  let count = workers;
  const counter = store.countInstances?.bind(store);
  if (!counter) return { count: () => count, stop: () => undefined };
  const refresh = (): void => {
    counter().then(
      (n) => {
        count = n;
      },
      (error: unknown) => logger.warn({ err: error }, 'counting instances failed; the rate limits keep the last count'),
    );
  };
  refresh();
  const timer = setInterval(refresh, INSTANCE_COUNT_INTERVAL_MS);
  timer.unref();
  return { count: () => count, stop: () => clearInterval(timer) };
}

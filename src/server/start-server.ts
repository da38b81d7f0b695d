import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import { loadMasterKeys } from '../config/load-master-keys.ts';
import type { ServeConfig } from '../config/load-config.ts';
import { createKeyMaterialPool } from '../crypto/create-key-material-pool.ts';
import { createSealer } from '../crypto/create-sealer.ts';
import { isSignetError, SignetError } from '../errors.ts';
import { createApp } from '../http/create-app.ts';
import { createMetrics } from '../metrics/create-metrics.ts';
import { createRegistry } from '../runtime/create-registry.ts';
import { createScheduler } from '../scheduler/create-scheduler.ts';
import { bootstrap } from '../services/bootstrap.ts';
import { createServices } from '../services/create-services.ts';
import { createStore } from '../storage/create-store.ts';
import type { Store } from '../storage/store.ts';
import { createLogger } from './create-logger.ts';

/** A running Signet: its address and a graceful stop. */
export interface RunningServer {
  app: FastifyInstance;
  url: string;
  logger: Logger;
  stop(): Promise<void>;
}

/** Starts `signet serve`: data directory, master key, store, bootstrap, HTTP, scheduler. */
export async function startServer(config: ServeConfig, print: (line: string) => void): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Instances sharing PostgreSQL must seal with one key, so none may generate its own.
  const masterKeys = loadMasterKeys({ ...config, generate: config.databaseUrl === null });
  if (masterKeys.source === 'generated') {
    logger.warn({ path: masterKeys.path }, 'no SIGNET_MASTER_KEY or SIGNET_MASTER_KEY_FILE: generated a master key in the data directory; back it up and keep it apart from the database');
  }
  const store = createStore({ ...config, onError: (error) => logger.warn({ err: error }, 'database connection error') });
  await migrateAtStartup(store);
  const now = (): number => Date.now();
  const sealer = createSealer(masterKeys.keys);
  const pool = createKeyMaterialPool();
  const registry = createRegistry({ store, sealer });
  const metrics = createMetrics({ registry, now });
  const services = createServices({ store, registry, pool, sealer, now, rootTenantId: BOOTSTRAP_DEFAULTS.tenantId, onTokenSigned: metrics.tokenSigned });
  await registry.reloadAll();
  const credentialsPath = join(config.dataDir, BOOTSTRAP_DEFAULTS.credentialsFileName);
  const boot = await bootstrap(services, store, { ...config.bootstrap, credentialsPath, baseUrl: config.baseUrl });
  // Another instance sharing the database may have bootstrapped it while this one waited.
  if (!boot.created) await registry.reloadAll();
  for (const view of registry.listKeySetViews()) pool.warm(view.keySet.alg, view.keySet.rsaModulusLength);

  let ready = false;
  const app = await createApp({
    services, registry, metrics, now, baseUrl: config.baseUrl, rootTenantId: BOOTSTRAP_DEFAULTS.tenantId,
    bodyLimitBytes: config.bodyLimitBytes, trustProxy: config.trustProxy, logger, isReady: () => ready,
  });
  const scheduler = createScheduler({ registry, keys: services.keys, now, intervalMs: config.schedulerIntervalSeconds * 1000, logger });
  const address = await app.listen({ port: config.port, host: config.host });
  scheduler.start();
  ready = true;

  print(`Signet is listening on ${address}`);
  print(`Issuer:          ${config.baseUrl}`);
  print(`Discovery:       ${config.baseUrl}/.well-known/openid-configuration`);
  print(`Dashboard:       ${config.baseUrl}/ui/`);
  print(`Management API:  ${config.baseUrl}/signet/v1 (OpenAPI: ${config.baseUrl}/signet/v1/openapi.json)`);
  if (boot.created) print(`Bootstrap admin credentials written to ${boot.credentialsPath} (mode 0600)`);
  else print(`Bootstrap admin credentials: ${credentialsPath} (written when the database was created)`);

  let stopping: Promise<void> | null = null;
  return {
    app,
    url: address,
    logger,
    stop() {
      stopping ??= (async () => {
        ready = false;
        await scheduler.stop();
        const grace = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
        grace.unref();
        await app.close();
        clearTimeout(grace);
        pool.close();
        await store.close();
      })();
      return stopping;
    },
  };
}

/** Migrates the store, or closes it and says why Signet cannot start when the database is unreachable. */
async function migrateAtStartup(store: Store): Promise<void> {
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    if (isSignetError(error, 'ERR_UNAVAILABLE')) {
      const cause = (error as { cause?: unknown }).cause;
      throw new SignetError('ERR_UNAVAILABLE', `cannot reach the database${cause instanceof Error ? ` (${cause.message})` : ''}`);
    }
    // E.g. a wrong password or a missing database: the driver's message says which (never the password).
    if (!isSignetError(error) && error instanceof Error) throw new SignetError('ERR_UNAVAILABLE', `cannot open the database: ${error.message}`);
    throw error;
  }
}

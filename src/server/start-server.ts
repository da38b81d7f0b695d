import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import { loadMasterKeys } from '../config/load-master-keys.ts';
import type { ServeConfig } from '../config/load-config.ts';
import { createKeyMaterialPool } from '../crypto/create-key-material-pool.ts';
import { createSealer } from '../crypto/create-sealer.ts';
import { SignetError } from '../errors.ts';
import { createApp } from '../http/create-app.ts';
import { createMetrics } from '../metrics/create-metrics.ts';
import { createRegistry } from '../runtime/create-registry.ts';
import { createScheduler } from '../scheduler/create-scheduler.ts';
import { bootstrap } from '../services/bootstrap.ts';
import { createServices } from '../services/create-services.ts';
import { createSqliteStore } from '../storage/sqlite/create-sqlite-store.ts';
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
  if (config.databaseUrl) {
    throw new SignetError('ERR_VALIDATION', 'PostgreSQL (--database-url) is not available in this version; omit it to use the embedded SQLite database');
  }
  const logger = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const masterKeys = loadMasterKeys(config);
  if (masterKeys.source === 'generated') {
    logger.warn({ path: masterKeys.path }, 'no SIGNET_MASTER_KEY or SIGNET_MASTER_KEY_FILE: generated a master key in the data directory; back it up and keep it apart from the database');
  }
  const store = createSqliteStore({ path: join(config.dataDir, 'signet.db') });
  await store.migrate();
  const now = (): number => Date.now();
  const sealer = createSealer(masterKeys.keys);
  const pool = createKeyMaterialPool();
  const registry = createRegistry({ store, sealer });
  const metrics = createMetrics({ registry, now });
  const services = createServices({ store, registry, pool, sealer, now, rootTenantId: BOOTSTRAP_DEFAULTS.tenantId, onTokenSigned: metrics.tokenSigned });
  await registry.reloadAll();
  const credentialsPath = join(config.dataDir, BOOTSTRAP_DEFAULTS.credentialsFileName);
  const boot = await bootstrap(services, store, { ...config.bootstrap, credentialsPath, baseUrl: config.baseUrl });
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

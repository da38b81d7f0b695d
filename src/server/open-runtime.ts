import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import { loadMasterKeys } from '../config/load-master-keys.ts';
import type { ServeConfig } from '../config/load-config.ts';
import { createKeyMaterialPool, type KeyMaterialPool } from '../crypto/create-key-material-pool.ts';
import { createSealer, type Sealer } from '../crypto/create-sealer.ts';
import { openCustodies } from '../custody/open-custodies.ts';
import type { Custodies } from '../custody/create-custodies.ts';
import { createRegistry, type Registry } from '../runtime/create-registry.ts';
import { bootstrap, type BootstrapResult } from '../services/bootstrap.ts';
import { createServices, type Services } from '../services/create-services.ts';
import { createSignatureLedger, type RealSignatureLedger, type SignatureEntry } from '../services/signature-ledger.ts';
import type { ChangeRelay } from '../storage/change-relay.ts';
import type { Store } from '../storage/store.ts';
import { isSignetError, SignetError } from '../errors.ts';
import { createStore } from '../storage/create-store.ts';

/** The parts of one Signet process that sit behind the HTTP app and the scheduler. */
export interface Runtime {
  store: Store;
  registry: Registry;
  services: Services;
  pool: KeyMaterialPool;
  custodies: Custodies;
  sealer: Sealer;
  now: () => number;
  /** Counts signatures; started and stopped by the serving process (the primary never signs). */
  ledger: RealSignatureLedger;
  /** Closes the key pool, the store and the custodies. */
  close(): Promise<void>;
}

/** Opens the data directory, master key and store, and wires the registry and use cases over them. */
export async function openRuntime(
  config: ServeConfig,
  logger: Logger,
  options: {
    relay?: ChangeRelay;
    onTokenSigned?: (kid: string) => void;
    onSignatureRecorded?: (entry: SignatureEntry) => void;
  } = {},
): Promise<Runtime> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Instances sharing PostgreSQL must seal with one key, so none may generate its own.
  const masterKeys = loadMasterKeys({ ...config, generate: config.databaseUrl === null });
  if (masterKeys.source === 'generated') {
    logger.warn(
      { path: masterKeys.path },
      'no SIGNET_MASTER_KEY or SIGNET_MASTER_KEY_FILE: generated a master key in the data directory; back it up and keep it apart from the database',
    );
  }
  const sealer = createSealer(masterKeys.keys);
  // Before the store: a missing module, an absent token or a refused PIN stops start-up here.
  const custodies = openCustodies(config.custody, sealer);
  const store = createStore({
    ...config,
    onError: (error) => logger.warn({ err: error }, 'database connection error'),
    ...(options.relay ? { relay: options.relay } : {}),
  });
  const now = (): number => Date.now();
  const pool = createKeyMaterialPool({ now });
  const registry = createRegistry({ store, sealer, custodies });
  const ledger = createSignatureLedger({
    store,
    flushIntervalMs: config.signatureFlushIntervalSeconds * 1000,
    onFlushError: (error) => logger.warn({ err: error }, 'signature counts not written yet; retried next interval'),
    ...(options.onSignatureRecorded ? { onRecorded: options.onSignatureRecorded } : {}),
  });
  const services = createServices({
    store,
    registry,
    pool,
    sealer,
    custodies,
    now,
    rootTenantId: BOOTSTRAP_DEFAULTS.tenantId,
    webhooks: config.webhooks,
    signatureLedger: ledger,
    ...(options.onTokenSigned ? { onTokenSigned: options.onTokenSigned } : {}),
  });
  return {
    store,
    registry,
    services,
    pool,
    custodies,
    sealer,
    now,
    ledger,
    async close() {
      pool.close();
      await store.close();
      await custodies.close();
    },
  };
}

/** Migrates the database and, on a new one, creates the default tenant and admin credentials. */
export async function prepareDatabase(
  runtime: Runtime,
  config: ServeConfig,
): Promise<BootstrapResult & { credentialsPath: string }> {
  await migrateAtStartup(runtime.store);
  // A keyring that cannot unseal what the database holds would fail at the first signature; stop now.
  await runtime.services.masterKeys.assertUnsealsAll().catch(async (error: unknown) => {
    await runtime.store.close().catch(() => undefined);
    throw error;
  });
  await runtime.registry.reloadAll();
  const wasBootstrapped = runtime.registry.getTenant(BOOTSTRAP_DEFAULTS.tenantId) !== undefined;
  const credentialsPath = join(config.dataDir, BOOTSTRAP_DEFAULTS.credentialsFileName);
  const boot = await bootstrap(runtime.services, runtime.store, {
    ...config.bootstrap,
    credentialsPath,
    baseUrl: config.baseUrl,
  });
  // Another instance sharing the database may have bootstrapped it while this one waited; a database
  // bootstrapped before the first load needs no second one (at 10,000 tenants it doubled start-up's garbage).
  if (!boot.created && !wasBootstrapped) await runtime.registry.reloadAll();
  return { ...boot, credentialsPath };
}

/** Migrates the store, or closes it and says why Signet cannot start when the database is unreachable. */
async function migrateAtStartup(store: Store): Promise<void> {
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    if (isSignetError(error, 'ERR_UNAVAILABLE')) {
      const cause = (error as { cause?: unknown }).cause;
      throw new SignetError(
        'ERR_UNAVAILABLE',
        `cannot reach the database${cause instanceof Error ? ` (${cause.message})` : ''}`,
      );
    }
    // E.g. a wrong password or a missing database: the driver's message says which (never the password).
    if (!isSignetError(error) && error instanceof Error)
      throw new SignetError('ERR_UNAVAILABLE', `cannot open the database: ${error.message}`);
    throw error;
  }
}

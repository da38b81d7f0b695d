import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyMaterialPool } from '../../src/crypto/create-key-material-pool.ts';
import { createSealer } from '../../src/crypto/create-sealer.ts';
import { openCustodies } from '../../src/custody/open-custodies.ts';
import type { Custody } from '../../src/domain/types.ts';
import { generateMasterKeyText, parseMasterKeys } from '../../src/crypto/master-key.ts';
import { createApp } from '../../src/http/create-app.ts';
import type { ServingPath } from '../../src/http/request-rules.ts';
import { createMetrics } from '../../src/metrics/create-metrics.ts';
import { createRegistry } from '../../src/runtime/create-registry.ts';
import { createScheduler } from '../../src/scheduler/create-scheduler.ts';
import { bootstrap } from '../../src/services/bootstrap.ts';
import type { RateLimitSettings } from '../../src/services/create-rate-limiter.ts';
import { createServices } from '../../src/services/create-services.ts';
import { createSignatureLedger } from '../../src/services/signature-ledger.ts';
import { createSqliteStore } from '../../src/storage/sqlite/create-sqlite-store.ts';
import { sharedSoftHsmToken } from './softhsm-token.ts';
import { createWebhookDispatcher } from '../../src/webhooks/create-webhook-dispatcher.ts';
import { createWebhookSender } from '../../src/webhooks/send-webhook.ts';

export const BASE_URL = 'http://signet.test';
export const ADMIN_TOKEN = 'sgt_test-admin-token';
export const ADMIN_CLIENT_ID = 'admin-client';
/** Contains characters that RFC 6749 §2.3.1 form-encoding changes, to test Basic decoding. */
export const ADMIN_CLIENT_SECRET = 'se cret+with:colon&amp%';

/**
 * A complete in-process Signet (real SQLite file, real crypto, real Fastify app) on a clock the
 * test moves by hand, bootstrapped with known credentials. With `custody: 'pkcs11'` new key sets
 * (the bootstrap one included) keep their keys on a throw-away SoftHSM2 token.
 */
export async function createTestContext(
  options: {
    startAt?: number;
    custody?: Custody;
    webhooks?: { allowHttp: boolean; allowPrivateNetworks: boolean };
    /** Restart on the data of an earlier context (closed with `keepData`), with its master key. */
    restartFrom?: { dir: string; masterKeyText: string };
    /** Rate limits to enforce (none when absent). */
    rateLimits?: RateLimitSettings;
  } = {},
) {
  const dir = options.restartFrom?.dir ?? mkdtempSync(join(tmpdir(), 'signet-test-'));
  const masterKeyText = options.restartFrom?.masterKeyText ?? generateMasterKeyText();
  const clock = { now: options.startAt ?? Date.UTC(2026, 0, 1) };
  const now = (): number => clock.now;
  const store = createSqliteStore({ path: join(dir, 'signet.db') });
  await store.migrate();
  const sealer = createSealer(parseMasterKeys(masterKeyText));
  const pool = createKeyMaterialPool({ now });
  const token = options.custody === 'pkcs11' ? sharedSoftHsmToken() : null;
  const custodies = openCustodies(
    {
      defaultCustody: options.custody ?? 'sealed',
      pkcs11: token && {
        modulePath: token.modulePath,
        tokenLabel: token.tokenLabel,
        slot: null,
        pin: token.pin,
        sessions: 4,
      },
    },
    sealer,
  );
  const registry = createRegistry({ store, sealer, custodies });
  let metrics!: ReturnType<typeof createMetrics>;
  // Never started: a test flushes the counts itself (`ledger.flush()`). Metrics come after the
  // services (they read the readiness service), so the ledger reports to them once they exist.
  const ledger = createSignatureLedger({
    store,
    flushIntervalMs: 3_600_000,
    onRecorded: (entry) => metrics.signatureRecorded(entry),
  });
  const services = createServices({
    signatureLedger: ledger,
    store,
    registry,
    pool,
    sealer,
    custodies,
    now,
    rootTenantId: 'default',
    onTokenSigned: (kid) => metrics.tokenSigned(kid),
    // Test receivers listen on loopback over http.
    webhooks: { allowHttp: true, allowPrivateNetworks: true, secretGraceSeconds: 3600, ...options.webhooks },
  });
  metrics = createMetrics({ registry, now, readiness: services.readiness });
  await registry.reloadAll();
  await bootstrap(services, store, {
    clientId: ADMIN_CLIENT_ID,
    clientSecret: ADMIN_CLIENT_SECRET,
    apiToken: ADMIN_TOKEN,
    credentialsPath: join(dir, 'bootstrap-credentials.json'),
    baseUrl: BASE_URL,
  });
  // Which path (a fast handler or Fastify) answered each request over a socket, in arrival order.
  const served: ServingPath[] = [];
  // Readiness as `signet serve` reports it; a test turns it off to act out a shutdown drain.
  const readiness = { ready: true };
  const app = await createApp({
    services,
    registry,
    metrics,
    now,
    baseUrl: BASE_URL,
    rootTenantId: 'default',
    bodyLimitBytes: 64 * 1024,
    logger: false,
    checkCustody: () => custodies.check(),
    onServed: (path) => served.push(path),
    isReady: () => readiness.ready,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const scheduler = createScheduler({
    registry,
    keys: services.keys,
    certificateExpiry: services.certificateExpiry,
    now,
    intervalMs: 1000,
  });
  const webhookRandom = { value: 0 };
  const dispatcher = createWebhookDispatcher({
    store,
    webhooks: services.webhooks,
    send: createWebhookSender({ timeoutMs: 5000, maxResponseBytes: 64 * 1024, allowPrivateNetworks: true }),
    now,
    random: () => webhookRandom.value,
    sourceOf: (tenantId) => (tenantId === 'default' ? BASE_URL : `${BASE_URL}/t/${tenantId}`),
    leaseMs: 60_000,
    failingAfter: 3,
    pollIntervalMs: 1000,
  });
  return {
    app,
    served,
    readiness,
    clock,
    store,
    services,
    registry,
    scheduler,
    /** The webhook delivery loop, driven by hand with `runOnce` on the test clock. */
    dispatcher,
    /** The jitter the dispatcher draws (0 = the longest delay). */
    webhookRandom,
    ledger,
    sealer,
    custodies,
    /** The SoftHSM2 token of a pkcs11 context (shared by the process's contexts), else null. */
    token,
    pool,
    dir,
    masterKeyText,
    /** Moves the clock forward. */
    advance(ms: number): void {
      clock.now += ms;
    },
    /** Authorization header of the bootstrap admin API token. */
    admin: { authorization: `Bearer ${ADMIN_TOKEN}` },
    /** Stops everything; `keepData` leaves the database for a restart (`restartFrom`). */
    async close(closeOptions: { keepData?: boolean } = {}): Promise<void> {
      await app.close();
      // As a graceful shutdown does: the counts since the last flush reach the audit log.
      await ledger.stop();
      pool.close();
      await store.close();
      await custodies.close();
      if (!closeOptions.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestContext = Awaited<ReturnType<typeof createTestContext>>;

/** The default key set id of the root tenant's default authorization server. */
export function defaultKeySetId(context: TestContext): string {
  return context.registry.getAuthorizationServer('default', 'default')!.signingKeySetId!;
}

/** Every private JWK member or PEM private block found in `text` (should be none). */
export function findPrivateMaterial(text: string): string[] {
  const found: string[] = [];
  if (/PRIVATE KEY-----/.test(text)) found.push('PEM private key');
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
    if (new RegExp(`"${member}"\\s*:`).test(text)) found.push(`JWK member ${member}`);
  return found;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyMaterialPool } from '../../src/crypto/create-key-material-pool.ts';
import { createSealer } from '../../src/crypto/create-sealer.ts';
import { generateMasterKeyText, parseMasterKeys } from '../../src/crypto/master-key.ts';
import { createApp } from '../../src/http/create-app.ts';
import type { ServingPath } from '../../src/http/request-rules.ts';
import { createMetrics } from '../../src/metrics/create-metrics.ts';
import { createRegistry } from '../../src/runtime/create-registry.ts';
import { createScheduler } from '../../src/scheduler/create-scheduler.ts';
import { bootstrap } from '../../src/services/bootstrap.ts';
import { createServices } from '../../src/services/create-services.ts';
import { createSignatureLedger } from '../../src/services/signature-ledger.ts';
import { createSqliteStore } from '../../src/storage/sqlite/create-sqlite-store.ts';

export const BASE_URL = 'http://signet.test';
export const ADMIN_TOKEN = 'sgt_test-admin-token';
export const ADMIN_CLIENT_ID = 'admin-client';
/** Contains characters that RFC 6749 §2.3.1 form-encoding changes, to test Basic decoding. */
export const ADMIN_CLIENT_SECRET = 'se cret+with:colon&amp%';

/**
 * A complete in-process Signet (real SQLite file, real crypto, real Fastify app) on a clock the
 * test moves by hand, bootstrapped with known credentials.
 */
export async function createTestContext(
  options: {
    startAt?: number;
    /** Restart on the data of an earlier context (closed with `keepData`), with its master key. */
    restartFrom?: { dir: string; masterKeyText: string };
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
  const registry = createRegistry({ store, sealer });
  const metrics = createMetrics({ registry, now });
  // Never started: a test flushes the counts itself (`ledger.flush()`).
  const ledger = createSignatureLedger({ store, flushIntervalMs: 3_600_000, onRecorded: metrics.signatureRecorded });
  const services = createServices({
    signatureLedger: ledger,
    store,
    registry,
    pool,
    sealer,
    now,
    rootTenantId: 'default',
    onTokenSigned: metrics.tokenSigned,
  });
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
    onServed: (path) => served.push(path),
    isReady: () => readiness.ready,
  });
  const scheduler = createScheduler({ registry, keys: services.keys, now, intervalMs: 1000 });
  return {
    app,
    served,
    readiness,
    clock,
    store,
    services,
    registry,
    scheduler,
    ledger,
    sealer,
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

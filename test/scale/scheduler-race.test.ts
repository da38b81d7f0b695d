import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createKeyMaterialPool, type KeyMaterialPool } from '../../src/crypto/create-key-material-pool.ts';
import { createSealer } from '../../src/crypto/create-sealer.ts';
import { generateMasterKeyText, parseMasterKeys } from '../../src/crypto/master-key.ts';
import { openCustodies } from '../../src/custody/open-custodies.ts';
import { createRegistry, type Registry } from '../../src/runtime/create-registry.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/create-scheduler.ts';
import { bootstrap } from '../../src/services/bootstrap.ts';
import { createServices, type Services } from '../../src/services/create-services.ts';
import type { RequestContext } from '../../src/domain/types.ts';
import type { Store } from '../../src/storage/store.ts';
import { scaleDatabases } from '../helpers/scale-databases.ts';

const DAY = 86_400_000;
const SYSTEM: RequestContext = {
  actor: { type: 'system', id: 'test', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'native',
};

/** Three instances (own store connection, registry, key pool, scheduler) on one database and one clock. */
async function startInstances(openStore: () => Promise<Store>, count: number) {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const now = () => clock.now;
  const sealer = createSealer(parseMasterKeys(generateMasterKeyText()));
  const instances: {
    store: Store;
    pool: KeyMaterialPool;
    registry: Registry;
    services: Services;
    scheduler: Scheduler;
  }[] = [];
  for (let i = 0; i < count; i += 1) {
    const store = await openStore();
    if (i === 0) await store.migrate();
    const pool = createKeyMaterialPool();
    const custodies = openCustodies({ defaultCustody: 'sealed', pkcs11: null }, sealer);
    const registry = createRegistry({ store, sealer, custodies });
    const services = createServices({ store, registry, pool, sealer, custodies, now, rootTenantId: 'default' });
    await registry.reloadAll();
    if (i === 0) {
      const dir = mkdtempSync(join(tmpdir(), 'signet-race-'));
      await bootstrap(services, store, {
        clientId: null,
        clientSecret: null,
        apiToken: null,
        credentialsPath: join(dir, 'creds.json'),
        baseUrl: 'http://signet.test',
      });
      rmSync(dir, { recursive: true, force: true });
    }
    await registry.reloadAll();
    const scheduler = createScheduler({ registry, keys: services.keys, now, intervalMs: 1000 });
    instances.push({ store, pool, registry, services, scheduler });
  }
  return {
    clock,
    instances,
    async close() {
      for (const instance of instances) {
        await instance.scheduler.stop();
        instance.pool.close();
        await instance.store.close();
      }
    },
  };
}

for (const database of scaleDatabases()) {
  describe(`${database.name}: scheduler race`, () => {
    after(() => database.cleanup());

    test('three schedulers fire on a due key set at once: exactly one rotation, one audit event per transition', async () => {
      const { clock, instances, close } = await startInstances(database.openStore, 3);
      try {
        const [first] = instances;
        const keySetId = first!.registry.getAuthorizationServer('default', 'default')!.signingKeySetId!;
        // No cache window: a next key is safe to activate at once, so only the re-plan under the
        // key set's lock (not the publish-before-use check) stops a second rotation.
        await first!.services.keys.updatePolicy(SYSTEM, 'default', keySetId, {
          jwksMaxAgeSeconds: 0,
          clockSkewSeconds: 0,
        });
        for (const { registry } of instances) await registry.refreshKeySet(keySetId);
        const before = await first!.services.keys.listKeys('default', keySetId);
        // Past the rotation period (90 days): every instance's schedule says the rotation is due now.
        clock.now += 90 * DAY + 1000;
        for (const { registry } of instances)
          assert.equal(registry.getKeySetView(keySetId)!.schedule[0]!.action, 'rotate');
        await Promise.all(instances.flatMap(({ scheduler }) => [scheduler.runOnce(), scheduler.runOnce()]));

        const after = await first!.services.keys.listKeys('default', keySetId);
        assert.equal(after.length, before.length + 1, 'one fresh next key: one rotation');
        assert.equal(after.filter((key) => key.state === 'active').length, 1);
        assert.equal(after.filter((key) => key.state === 'next').length, 1);
        const events = await first!.services.audit.listAuditEvents('default', { keySetId, limit: 100 });
        const scheduled = events.items.filter((event) => event.operation === 'schedule');
        assert.deepEqual(
          scheduled.map((event) => event.action).sort(),
          ['key.activated', 'key.draining', 'key.generated'],
          'one event per transition',
        );
        // Every instance serves the result: the losers refreshed through the feed or their own run.
        for (const { registry } of instances) await registry.refreshKeySet(keySetId);
        const jwks = instances.map(({ registry }) => registry.getJwks('default', 'default')!.etag);
        assert.equal(new Set(jwks).size, 1);
      } finally {
        await close();
      }
    });
  });
}

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createKeyMaterialPool, type KeyMaterialPool } from '../../src/crypto/create-key-material-pool.ts';
import { createSealer } from '../../src/crypto/create-sealer.ts';
import { generateMasterKeyText, parseMasterKeys } from '../../src/crypto/master-key.ts';
import { openCustodies } from '../../src/custody/open-custodies.ts';
import type { RequestContext } from '../../src/domain/types.ts';
import { createApp } from '../../src/http/create-app.ts';
import { createMetrics } from '../../src/metrics/create-metrics.ts';
import { createRegistry, type Registry } from '../../src/runtime/create-registry.ts';
import { followStoreChanges, type StoreFollower } from '../../src/runtime/follow-store-changes.ts';
import { bootstrap } from '../../src/services/bootstrap.ts';
import { createServices, type Services } from '../../src/services/create-services.ts';
import type { ChangeRelay } from '../../src/storage/change-relay.ts';
import { createPostgresStore } from '../../src/storage/postgres/create-postgres-store.ts';
import { createSqliteStore } from '../../src/storage/sqlite/create-sqlite-store.ts';
import type { Store, StoreChange } from '../../src/storage/store.ts';
import { pollUntil } from '../helpers/fresh-get.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';

const SYSTEM: RequestContext = {
  actor: { type: 'system', id: 'test', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'native',
};
const ADMIN_TOKEN = 'sgt_shared-admin-token';
const BASE_URL = 'http://signet.test';

/**
 * What `signet serve --workers N` does for SQLite workers through the cluster primary: each
 * process's committed changes reach every other process (src/server/create-worker-relay.ts), here
 * between stores of one process. PostgreSQL needs none: its stores LISTEN.
 */
function createRelayHub(): () => ChangeRelay {
  const listeners: Array<{ own: object; listener: (changes: readonly StoreChange[]) => void }> = [];
  return () => {
    const own = {};
    return {
      publish(changes) {
        for (const entry of listeners) if (entry.own !== own) entry.listener(changes);
      },
      subscribe(listener) {
        const entry = { own, listener };
        listeners.push(entry);
        return () => listeners.splice(listeners.indexOf(entry), 1);
      },
    };
  };
}

interface Instance {
  store: Store;
  registry: Registry;
  services: Services;
  app: FastifyInstance;
  follower: StoreFollower;
  pool: KeyMaterialPool;
}

/** Two instances (own store, registry, services, app, change follower) on one database. */
async function startInstances(openStore: () => Store): Promise<{ instances: Instance[]; close(): Promise<void> }> {
  const now = () => Date.now();
  const sealer = createSealer(parseMasterKeys(generateMasterKeyText()));
  const instances: Instance[] = [];
  for (let i = 0; i < 2; i += 1) {
    const store = openStore();
    if (i === 0) await store.migrate();
    const pool = createKeyMaterialPool();
    const custodies = openCustodies({ defaultCustody: 'sealed', pkcs11: null }, sealer);
    const registry = createRegistry({ store, sealer, custodies });
    const services = createServices({ store, registry, pool, sealer, custodies, now, rootTenantId: 'default' });
    await registry.reloadAll();
    if (i === 0) {
      const dir = mkdtempSync(join(tmpdir(), 'signet-tokens-'));
      await bootstrap(services, store, {
        clientId: null,
        clientSecret: null,
        apiToken: ADMIN_TOKEN,
        credentialsPath: join(dir, 'creds.json'),
        baseUrl: BASE_URL,
      });
      rmSync(dir, { recursive: true, force: true });
      await registry.reloadAll();
    }
    // No reconcile during the test: only the change feed can bring the other instance up to date.
    const follower = followStoreChanges({ store, registry, reconcileIntervalMs: 3_600_000 });
    if (i > 0) await registry.reloadAll();
    const metrics = createMetrics({ registry, now, readiness: services.readiness });
    const app = await createApp({
      services,
      registry,
      metrics,
      now,
      baseUrl: BASE_URL,
      rootTenantId: 'default',
      bodyLimitBytes: 64 * 1024,
      logger: false,
    });
    instances.push({ store, registry, services, app, follower, pool });
  }
  return {
    instances,
    async close() {
      for (const instance of instances) {
        await instance.follower.stop();
        await instance.app.close();
        instance.pool.close();
        await instance.store.close();
      }
    },
  };
}

const engines: Array<{ name: string; open(): Promise<{ openStore: () => Store; cleanup(): Promise<void> }> }> = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'signet-shared-'));
      const relay = createRelayHub();
      return {
        openStore: () => createSqliteStore({ path: join(dir, 'signet.db'), relay: relay() }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const database: TestDatabase = await createTestDatabase();
      return { openStore: () => createPostgresStore({ url: database.url }), cleanup: () => database.drop() };
    },
  },
];

for (const engine of engines) {
  describe(`${engine.name}: API tokens authenticate from memory and follow the change feed like clients`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    after(() => cleanup?.());

    test('a token created or deleted on one instance takes effect on the other without a database read per request', async () => {
      const database = await engine.open();
      cleanup = database.cleanup;
      const { instances, close } = await startInstances(database.openStore);
      try {
        const [first, second] = instances as [Instance, Instance];
        const call = (instance: Instance, token: string) =>
          instance.app
            .inject({ method: 'GET', url: '/signet/v1/key-sets', headers: { authorization: `Bearer ${token}` } })
            .then((response) => response.statusCode);
        assert.equal(
          await call(second, ADMIN_TOKEN),
          200,
          'the bootstrap token works on the instance that did not write it',
        );

        // Created on the first: the first answers at once, the second once the feed has delivered it,
        // as a client created on the first reaches the second.
        const created = await first.services.credentials.createApiToken(SYSTEM, 'default', {
          name: 'signer',
          scopes: ['tokens:sign', 'keys:read'],
          authorizationServerIds: ['default'],
        });
        const client = await first.services.credentials.createClient(SYSTEM, 'default', {
          name: 'peer',
          scopes: ['keys:read'],
        });
        assert.equal(await call(first, created.token), 200, 'the writing instance knows it before it answers');
        assert.ok(
          await pollUntil(async () => (await call(second, created.token)) === 200, 15_000, 20),
          'the other instance learns of the token from the change feed',
        );
        assert.ok(
          await pollUntil(async () => second.registry.getClient(client.client.clientId) !== undefined, 15_000, 20),
          'and of the client',
        );
        const held = second.registry.getApiTokenByHash(created.apiToken.tokenHash)!;
        assert.deepEqual(held.scopes, ['tokens:sign', 'keys:read']);
        assert.deepEqual(held.authorizationServerIds, ['default']);
        assert.equal('token' in held || 'name' in held, false, 'only the hash and the principal fields are held');

        // Authenticating reads nothing: the store is closed to reads for the next requests.
        const read = second.store.read.bind(second.store);
        let reads = 0;
        second.store.read = (fn) => {
          reads += 1;
          return read(fn);
        };
        const signed = await second.app.inject({
          method: 'POST',
          url: '/signet/v1/authorization-servers/default/sign',
          headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/json' },
          payload: { claims: { sub: 'user-1' } },
        });
        assert.equal(signed.statusCode, 200, signed.body);
        assert.equal(reads, 0, 'signing with an API token reads no database');
        second.store.read = read;

        // Revoked on the second: the second refuses at once, the first once the feed has delivered it.
        await second.services.credentials.deleteApiToken(SYSTEM, 'default', created.apiToken.id);
        assert.equal(await call(second, created.token), 401, 'the revoking instance refuses it at once');
        assert.ok(
          await pollUntil(async () => (await call(first, created.token)) === 401, 15_000, 20),
          'the other instance refuses a revoked token once the change feed delivered the revocation',
        );
        assert.equal(first.registry.getApiTokenByHash(created.apiToken.tokenHash), undefined);
      } finally {
        await close();
      }
    });
  });
}

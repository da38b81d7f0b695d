import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { PUBLISHED_STATES, type RequestContext } from '../../src/domain/types.ts';
import { createRegistry, type Registry } from '../../src/runtime/create-registry.ts';
import { followStoreChanges } from '../../src/runtime/follow-store-changes.ts';
import { reconcileRegistry } from '../../src/runtime/reconcile-registry.ts';
import { createSqliteStore } from '../../src/storage/sqlite/create-sqlite-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';

const SYSTEM: RequestContext = {
  actor: { type: 'system', id: 'test', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'native',
};

// A second instance on the same database file with no change feed between the two: only the
// reconcile can bring it up to date, as when a notification is lost.
let context: TestContext;
let otherStore: Store;
let other: Registry;
beforeEach(async () => {
  context = await createTestContext();
  otherStore = createSqliteStore({ path: join(context.dir, 'signet.db') });
  other = createRegistry({ store: otherStore, sealer: context.sealer, custodies: context.custodies });
  await other.reloadAll();
});
afterEach(async () => {
  await otherStore.close();
  await context.close();
});

test('the reconcile finds a rotation whose notification was lost and refreshes that key set only', async () => {
  const keySetId = defaultKeySetId(context);
  const rotated = await context.services.keys.rotate(SYSTEM, 'default', keySetId, 'force');
  const newActive = rotated.keys.find((key) => key.state === 'active')!.kid;
  assert.notEqual(other.getKeySetView(keySetId)!.signer!.kid, newActive, 'the other instance has not heard of it');

  assert.deepEqual(await reconcileRegistry(otherStore, other), {
    tenants: 0,
    authorizationServers: 0,
    keySets: 1,
    clients: 0,
    apiTokens: 0,
  });
  assert.equal(other.getKeySetView(keySetId)!.signer!.kid, newActive);
  assert.deepEqual(other.getJwks('default', 'default')!.body, context.registry.getJwks('default', 'default')!.body);
  assert.deepEqual(
    await reconcileRegistry(otherStore, other),
    { tenants: 0, authorizationServers: 0, keySets: 0, clients: 0, apiTokens: 0 },
    'nothing left to do',
  );
});

test('the reconcile catches a policy change, a new client and a deleted one, a new API token and a deleted one', async () => {
  const keySetId = defaultKeySetId(context);
  await context.services.keys.updatePolicy(SYSTEM, 'default', keySetId, { mode: 'MANUAL' });
  const { client } = await context.services.credentials.createClient(SYSTEM, 'default', {
    name: 'new',
    scopes: ['keys:read'],
  });
  await context.services.credentials.deleteClient(SYSTEM, 'default', 'admin-client');
  const [bootstrapToken] = await context.services.credentials.listApiTokens('default');
  const created = await context.services.credentials.createApiToken(SYSTEM, 'default', {
    name: 'new',
    scopes: ['tokens:sign'],
    authorizationServerIds: ['default'],
  });
  await context.services.credentials.deleteApiToken(SYSTEM, 'default', bootstrapToken!.id);
  assert.ok(other.getApiTokenByHash(bootstrapToken!.tokenHash), 'the other instance has not heard of it');
  const follower = followStoreChanges({ store: otherStore, registry: other, reconcileIntervalMs: 3_600_000 });
  try {
    await follower.reconcile();
  } finally {
    await follower.stop();
  }
  assert.equal(other.getKeySetView(keySetId)!.keySet.policy.mode, 'MANUAL');
  assert.equal(other.getClient(client.clientId)?.name, 'new');
  assert.equal(other.getClient('admin-client'), undefined, 'a deleted client stops authenticating on every instance');
  assert.deepEqual(other.getApiTokenByHash(created.apiToken.tokenHash)?.authorizationServerIds, ['default']);
  assert.equal(
    other.getApiTokenByHash(bootstrapToken!.tokenHash),
    undefined,
    'a deleted API token stops authenticating on every instance',
  );
});

test('the SQLite change feed reports, after each commit, one change per entity the transaction touched', async () => {
  const keySetId = defaultKeySetId(context);
  const seen: string[] = [];
  const unsubscribe = context.store.subscribe!((changes) =>
    seen.push(...changes.map((change) => `${change.entity}:${'id' in change ? change.id : ''}`)),
  );
  await context.services.keys.rotate(SYSTEM, 'default', keySetId, 'force');
  await context.services.credentials.createApiToken(SYSTEM, 'default', { name: 't', scopes: ['keys:read'] });
  unsubscribe();
  assert.equal(seen[0], `keySet:${keySetId}`);
  assert.match(seen[1]!, /^apiToken:tok_/);
  assert.equal(seen.length, 2, 'one change per entity a transaction touched');
});

test('a key set state older than the one held (by updatedAt) never replaces it', async () => {
  const keySetId = defaultKeySetId(context);
  const stale = other.getKeySetView(keySetId)!;
  // The state before the rotation as a read of it returns it (the registry keeps no sealed keys).
  const staleKeys = await otherStore.read((reader) => reader.listKeys(keySetId, PUBLISHED_STATES));
  const rotated = await context.services.keys.rotate(SYSTEM, 'default', keySetId, 'force');
  await other.refreshKeySet(keySetId);
  const fresh = other.getJwks('default', 'default')!.etag;
  // A late read of the state before the rotation arrives after the refresh: it is ignored.
  other.installKeySet(stale.keySet, staleKeys);
  assert.equal(other.getJwks('default', 'default')!.etag, fresh);
  assert.equal(other.getKeySetView(keySetId)!.signer!.kid, rotated.keys.find((key) => key.state === 'active')!.kid);
});

import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore, type PostgresStoreOptions } from '../../src/storage/postgres/create-postgres-store.ts';
import { postgresMigrations } from '../../src/storage/postgres/migrations.ts';
import type { Store, StoreChange } from '../../src/storage/store.ts';
import { createTestDatabase, startPostgres, type TestDatabase } from '../helpers/postgres-server.ts';
import { freePort } from '../helpers/spawn-signet.ts';
import {
  assertRejectsWithCode,
  makeApiToken,
  makeAuditEvent,
  makeClient,
  makeKey,
  makeKeySet,
  makeTenant,
} from './fixtures.ts';

/**
 * What only PostgreSQL offers: several instances (stores) on one database. The change feed, the
 * locks that serialise them and the behaviour when the database goes away, each against a real
 * server.
 */
describe('postgres: several instances on one database', () => {
  let database: TestDatabase;
  const stores: Store[] = [];
  const clients: pg.Client[] = [];
  const open = async (options: Partial<PostgresStoreOptions> = {}): Promise<Store> => {
    const store = createPostgresStore({ url: database.url, reconnectDelayMs: { min: 10, max: 100 }, ...options });
    stores.push(store);
    await store.migrate();
    return store;
  };
  /** Runs SQL as another client of the database would, e.g. an operator at psql. */
  const admin = async (sql: string): Promise<pg.QueryResult> => {
    const client = new pg.Client({ connectionString: database.url });
    clients.push(client);
    await client.connect();
    return client.query(sql);
  };
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(
    async () => {
      for (const client of clients.splice(0)) await client.end().catch(() => undefined);
      for (const store of stores.splice(0)) await store.close();
      await database.drop();
    },
    { timeout: 10_000 },
  );

  /** Subscribes and resolves once the store listens (its first delivery, a full reload). */
  const listen = async (store: Store): Promise<{ deliveries: StoreChange[][]; next(): Promise<StoreChange[]> }> => {
    const deliveries: StoreChange[][] = [];
    const waiting: ((changes: StoreChange[]) => void)[] = [];
    store.subscribe!((changes) => {
      deliveries.push([...changes]);
      waiting.shift()?.([...changes]);
    });
    const next = () => new Promise<StoreChange[]>((resolve) => waiting.push(resolve));
    assert.deepEqual(await next(), [{ entity: 'all' }]);
    deliveries.length = 0;
    return { deliveries, next };
  };

  it('a commit reaches its own listeners once, right after COMMIT, naming what it touched', async () => {
    const a = await open();
    const b = await open();
    const heard = await listen(a);
    await a.transaction(async (tx) => {
      await tx.insertTenant(makeTenant('acme'));
      await tx.insertKeySet(makeKeySet('ks_1', 'acme'));
      await tx.insertKey(makeKey('ks_1', 'k1', 'active'));
      await tx.insertClient(makeClient('acme', 'c1'));
      await tx.insertApiToken(makeApiToken('acme', 't1'));
      await tx.appendAuditEvent(makeAuditEvent('acme', { keySetId: 'ks_1', kid: 'k1' }));
    });
    // Delivered before transaction() resolved.
    assert.deepEqual(heard.deliveries, [
      [
        { entity: 'tenant', tenantId: 'acme', id: 'acme' },
        { entity: 'keySet', tenantId: 'acme', id: 'ks_1' },
        { entity: 'client', tenantId: 'acme', id: 'c1' },
        { entity: 'apiToken', tenantId: 'acme', id: 't1' },
      ],
    ]);
    // Nothing for a rolled-back transaction, a refused write or a transaction that changed nothing watched.
    await assert.rejects(
      a.transaction(async (tx) => {
        await tx.insertClient(makeClient('acme', 'c2'));
        throw new Error('changed my mind');
      }),
    );
    await assertRejectsWithCode(
      a.transaction((tx) => tx.insertClient(makeClient('acme', 'c1'))),
      'ERR_ALREADY_EXISTS',
    );
    await a.transaction((tx) => tx.setMeta('counter', '1'));
    assert.equal(await a.transaction((tx) => tx.deleteClient('acme', 'nobody')), false);
    // Its own NOTIFY is not delivered a second time: a later commit of another instance arrives
    // on the same connection after it, so by then a duplicate would have been delivered.
    const marker = heard.next();
    await b.transaction((tx) => tx.insertTenant(makeTenant('marker')));
    assert.deepEqual(await marker, [{ entity: 'tenant', tenantId: 'marker', id: 'marker' }]);
    assert.equal(heard.deliveries.length, 2);
  });

  it('another instance hears each commit once, with what it touched', async () => {
    const a = await open();
    const b = await open();
    await a.transaction(async (tx) => {
      await tx.insertTenant(makeTenant('acme'));
      await tx.insertKeySet(makeKeySet('ks_1', 'acme'));
      await tx.insertKey(makeKey('ks_1', 'k1', 'next'));
    });
    const heard = await listen(b);
    const rotation = heard.next();
    await a.transaction(async (tx) => {
      await tx.lockKeySet('ks_1');
      await tx.updateKey({ ...makeKey('ks_1', 'k1', 'next'), state: 'active', activatedAt: 10 });
    });
    assert.deepEqual(await rotation, [{ entity: 'keySet', tenantId: 'acme', id: 'ks_1' }]);
    const deletion = heard.next();
    await a.transaction(async (tx) => {
      await tx.insertClient(makeClient('acme', 'c1'));
      await tx.deleteClient('acme', 'c1');
    });
    assert.deepEqual(await deletion, [{ entity: 'client', tenantId: 'acme', id: 'c1' }]);
    assert.equal(heard.deliveries.length, 2);
  });

  it('a change list too long for NOTIFY reaches other instances as a full reload', async () => {
    const a = await open();
    const b = await open();
    const local = await listen(a);
    const remote = await listen(b);
    const reload = remote.next();
    const ids = Array.from({ length: 200 }, (_, index) => `tenant-with-a-rather-long-identifier-${index}`);
    await a.transaction(async (tx) => {
      for (const id of ids) await tx.insertTenant(makeTenant(id));
    });
    assert.deepEqual(await reload, [{ entity: 'all' }]);
    assert.deepEqual(
      local.deliveries[0]?.map((change) => (change.entity === 'tenant' ? change.id : '?')),
      ids,
      'its own listeners get the full list',
    );
  });

  it('a listener whose connection is cut reconnects, asks for a full reload, and hears later commits', async () => {
    const a = await open();
    const b = await open();
    const heard = await listen(b);
    const reload = heard.next();
    const cut = await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query = 'LISTEN signet_changes'`);
    assert.equal(cut.rowCount, 1, 'one listening connection');
    assert.deepEqual(await reload, [{ entity: 'all' }]);
    const change = heard.next();
    await a.transaction((tx) => tx.insertTenant(makeTenant('after')));
    assert.deepEqual(await change, [{ entity: 'tenant', tenantId: 'after', id: 'after' }]);
  });

  it('write transactions of several instances do not interleave', async () => {
    const instances = [await open(), await open(), await open()];
    await instances[0]!.transaction((tx) => tx.setMeta('counter', '0'));
    const increment = (store: Store) =>
      store.transaction(async (tx) => {
        const value = Number(await tx.getMeta('counter'));
        await delay(5);
        await tx.setMeta('counter', String(value + 1));
      });
    await Promise.all(instances.flatMap((store) => [increment(store), increment(store)]));
    assert.equal(await instances[0]!.read((reader) => reader.getMeta('counter')), '6');
  });

  it('instances migrating an empty database at once apply each migration once', async () => {
    const instances = [1, 2, 3].map(() => createPostgresStore({ url: database.url }));
    stores.push(...instances);
    await Promise.all(instances.map((store) => store.migrate()));
    assert.equal(
      (await admin('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n,
      postgresMigrations.length,
    );
    await instances[2]!.transaction((tx) => tx.insertTenant(makeTenant('acme')));
  });

  it("exclusively lets one holder at a time in, across instances, and frees the lock if the holder's connection dies", async () => {
    const a = await open();
    const b = await open();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const aEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = a.exclusively('bootstrap', async () => {
      order.push('a in');
      entered();
      await gate;
      order.push('a out');
    });
    await aEntered;
    const second = b.exclusively('bootstrap', async () => {
      order.push('b in');
    });
    // Another name is a different lock.
    await b.exclusively('other', async () => order.push('other'));
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['a in', 'other', 'a out', 'b in']);

    // A holder that dies (its session ends) does not keep the others out forever.
    let hold!: () => void;
    const held = new Promise<void>((resolve) => {
      hold = resolve;
    });
    let stuck!: () => void;
    const holding = a.exclusively('bootstrap', () => {
      hold();
      return new Promise<void>((resolve) => {
        stuck = resolve;
      });
    });
    await held;
    const killed = await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    assert.equal(killed.rowCount, 1);
    await b.exclusively('bootstrap', async () => order.push('b after a died'));
    stuck();
    await holding;
    assert.equal(order.at(-1), 'b after a died');
  });

  it('connections the server cut are replaced: the next transaction succeeds', async () => {
    const store = await open();
    await store.transaction((tx) => tx.insertTenant(makeTenant('before')));
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'signet'`);
    await store.transaction((tx) => tx.insertTenant(makeTenant('after')));
    assert.deepEqual(
      (await store.read((reader) => reader.listTenants())).map((tenant) => tenant.id),
      ['after', 'before'],
    );
  });

  it('an unreachable database is ERR_UNAVAILABLE, for reads, writes and migrations', async () => {
    const url = `postgres://postgres:x@127.0.0.1:${await freePort()}/signet`;
    const store = createPostgresStore({ url, connectTimeoutMs: 1_000 });
    stores.push(store);
    await assertRejectsWithCode(store.migrate(), 'ERR_UNAVAILABLE');
    await assertRejectsWithCode(
      store.transaction((tx) => tx.insertTenant(makeTenant('acme'))),
      'ERR_UNAVAILABLE',
    );
    await assert.rejects(
      store.read((reader) => reader.listTenants()),
      {
        code: 'ERR_UNAVAILABLE',
        message: 'the database is unreachable; management changes are refused until it is back',
      },
    );
  });

  it('every pooled connection busy past the connect timeout is ERR_UNAVAILABLE saying so', async () => {
    const store = await open({ poolSize: 1, connectTimeoutMs: 300 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const long = store.read(async () => {
      entered();
      await gate;
    });
    await holding;
    await assert.rejects(
      store.read((reader) => reader.listTenants()),
      {
        code: 'ERR_UNAVAILABLE',
        message: 'every database connection of this instance is busy; try again shortly',
      },
    );
    release();
    await long;
    assert.deepEqual(await store.read((reader) => reader.listTenants()), []);
  });

  it('a value PostgreSQL cannot store (NUL) is ERR_VALIDATION and the transaction carries on', async () => {
    const store = await open();
    await store.transaction(async (tx) => {
      await assertRejectsWithCode(
        tx.insertTenant(makeTenant('acme', { displayName: 'Acme\u0000Inc' })),
        'ERR_VALIDATION',
      );
      await tx.insertTenant(makeTenant('globex'));
    });
    assert.deepEqual(
      (await store.read((reader) => reader.listTenants())).map((tenant) => tenant.id),
      ['globex'],
    );
  });
});

describe('postgres: the database goes away and comes back', () => {
  it('writes and reads are ERR_UNAVAILABLE while it is down; the store and its listener recover by themselves', {
    timeout: 120_000,
  }, async () => {
    const server = await startPostgres();
    const store = createPostgresStore({
      url: server.url,
      connectTimeoutMs: 1_000,
      reconnectDelayMs: { min: 10, max: 200 },
    });
    try {
      await store.migrate();
      const deliveries: StoreChange[][] = [];
      let heard!: () => void;
      let listening = new Promise<void>((resolve) => {
        heard = resolve;
      });
      store.subscribe!((changes) => {
        deliveries.push([...changes]);
        if (changes.some((change) => change.entity === 'all')) heard();
      });
      await listening;
      await store.transaction((tx) => tx.insertTenant(makeTenant('before')));

      await server.pause();
      await assertRejectsWithCode(
        store.transaction((tx) => tx.insertTenant(makeTenant('during'))),
        'ERR_UNAVAILABLE',
      );
      await assertRejectsWithCode(
        store.read((reader) => reader.listTenants()),
        'ERR_UNAVAILABLE',
      );

      listening = new Promise<void>((resolve) => {
        heard = resolve;
      });
      await server.resume();
      // The listener reconnects on its own and asks for a full reload.
      await listening;
      await store.transaction((tx) => tx.insertTenant(makeTenant('later')));
      assert.deepEqual(
        (await store.read((reader) => reader.listTenants())).map((tenant) => tenant.id),
        ['before', 'later'],
      );
      assert.deepEqual(deliveries.at(-1), [{ entity: 'tenant', tenantId: 'later', id: 'later' }]);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { StoreTx } from '../../src/storage/store.ts';
import { storageDialects } from './dialects.ts';
import { makeAuditEvent, makeKey, makeTenant, seedKeySets, useHarness } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: transactions`, () => {
    const harness = useHarness(dialect);

    it('a transaction that throws writes nothing and rethrows the original error', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      const failure = new Error('boom');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.insertKey(makeKey('ks_1', 'k1', 'active'));
          await tx.appendAuditEvent(makeAuditEvent('acme', { keySetId: 'ks_1', kid: 'k1' }));
          await delay(1);
          throw failure;
        }),
        (error) => error === failure,
      );
      assert.equal(await store.read((reader) => reader.getKey('ks_1', 'k1')), undefined);
      assert.deepEqual(await store.read((reader) => reader.listAuditEvents({ tenantId: 'acme', limit: 10 })), []);
    });

    it('a transaction that resolves commits and returns its value', async () => {
      const { store } = harness();
      const value = await store.transaction(async (tx) => {
        await tx.insertTenant(makeTenant('acme'));
        return 42;
      });
      assert.equal(value, 42);
      assert.ok(await store.read((reader) => reader.getTenant('acme')));
    });

    it('concurrently started transactions do not interleave', async () => {
      const { store } = harness();
      await store.transaction((tx) => tx.setMeta('counter', '0'));
      const increment = () =>
        store.transaction(async (tx) => {
          const value = Number(await tx.getMeta('counter'));
          await delay(5);
          await tx.setMeta('counter', String(value + 1));
        });
      await Promise.all([increment(), increment(), increment()]);
      assert.equal(await store.read((reader) => reader.getMeta('counter')), '3');
    });

    it('a read started during a transaction waits for it and sees its commit', async () => {
      const { store } = harness();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const writing = store.transaction(async (tx) => {
        await tx.setMeta('phase', 'written');
        await gate;
      });
      const reading = store.read((reader) => reader.getMeta('phase'));
      release();
      await writing;
      assert.equal(await reading, 'written');
    });

    // The timeout turns a regression (a deadlock) into a failure instead of a hung run.
    it('a nested transaction or read is refused instead of deadlocking', { timeout: 5_000 }, async () => {
      const { store } = harness();
      await assert.rejects(
        store.transaction(() => store.transaction(async () => undefined)),
        /nested store transaction/,
      );
      await assert.rejects(
        store.transaction(() => store.read(async () => undefined)),
        /nested store transaction/,
      );
      await assert.rejects(
        store.read(() => store.transaction(async () => undefined)),
        /nested store transaction/,
      );
      await assert.rejects(
        store.read(() => store.read(async () => undefined)),
        /nested store transaction/,
      );
      // The store is still usable afterwards.
      await store.transaction((tx) => tx.setMeta('after', 'ok'));
      assert.equal(await store.read((reader) => reader.getMeta('after')), 'ok');
    });

    it('a transaction handle used after its transaction ended is refused', async () => {
      const { store } = harness();
      let leaked: StoreTx | undefined;
      await store.transaction(async (tx) => {
        leaked = tx;
      });
      await assert.rejects(leaked!.setMeta('late', 'write'));
      assert.equal(await store.read((reader) => reader.getMeta('late')), undefined);
    });

    it('exclusively lets one holder of a name in at a time, while transactions and other names go on', async () => {
      const { store } = harness();
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let entered!: () => void;
      const firstEntered = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const first = store.exclusively('bootstrap', async () => {
        order.push('first in');
        await store.transaction((tx) => tx.setMeta('by', 'first'));
        entered();
        await gate;
        order.push('first out');
      });
      // Called before the first got in: it still waits for the first to get out.
      const second = store.exclusively('bootstrap', async () => {
        order.push(`second in, after ${await store.read((reader) => reader.getMeta('by'))}`);
      });
      await firstEntered;
      await store.exclusively('other', async () => order.push('other'));
      release();
      await Promise.all([first, second]);
      assert.deepEqual(order, ['first in', 'other', 'first out', 'second in, after first']);
      await assert.rejects(
        store.exclusively('bootstrap', async () => {
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.exclusively('bootstrap', async () => 'free again'), 'free again');
    });

    it('close lets the transactions and reads started before it finish, and refuses later ones', async () => {
      const { store } = harness();
      const writing = store.transaction(async (tx) => {
        await delay(5);
        await tx.setMeta('phase', 'written');
      });
      const reading = store.read((reader) => reader.getMeta('phase'));
      await store.close();
      await writing;
      assert.equal(await reading, 'written');
      await assert.rejects(
        store.read((reader) => reader.getMeta('phase')),
        /closed/,
      );
      await assert.rejects(
        store.transaction((tx) => tx.setMeta('phase', 'late')),
        /closed/,
      );
    });

    it('a caught refusal inside a transaction leaves the rest of it to commit', async () => {
      const { store } = harness();
      await seedKeySets(store, 'acme', 'ks_1');
      await store.transaction(async (tx) => {
        await tx.insertKey(makeKey('ks_1', 'a1', 'active'));
        await assert.rejects(tx.insertKey(makeKey('ks_1', 'a2', 'active')));
        await tx.insertKey(makeKey('ks_1', 'n1', 'next'));
      });
      const keys = await store.read((reader) => reader.listKeys('ks_1'));
      assert.deepEqual(keys.map((key) => key.kid).sort(), ['a1', 'n1']);
    });
  });
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsumerSighting } from '../../src/domain/types.ts';
import { storageDialects } from './dialects.ts';
import { useHarness } from './fixtures.ts';

function sighting(consumerKey: string, fields: Partial<ConsumerSighting> = {}): ConsumerSighting {
  return {
    keySetId: 'ks_1',
    consumerKey,
    name: null,
    address: '10.0.0.1',
    userAgent: `ua ${consumerKey}`,
    firstSeenAt: 1_000,
    lastFetchAt: 2_000,
    fetchCount: 2,
    nextKidSeen: 'next',
    ...fields,
  };
}

for (const dialect of storageDialects) {
  describe(`${dialect.name}: JWKS consumer sightings`, () => {
    const harness = useHarness(dialect);

    it("each instance's rows are its own: a later write replaces only that instance's counts", async () => {
      const { store } = harness();
      const at = Date.UTC(2026, 0, 1);
      await store.transaction((tx) =>
        tx.putConsumerSightings('i1', [sighting('a', { name: 'billing', lastFetchAt: at })]),
      );
      await store.transaction((tx) =>
        tx.putConsumerSightings('i2', [sighting('a', { fetchCount: 5, lastFetchAt: at, nextKidSeen: null })]),
      );
      await store.transaction((tx) =>
        tx.putConsumerSightings('i1', [sighting('a', { name: 'billing', fetchCount: 3, lastFetchAt: at + 1 })]),
      );
      const rows = await store.read((reader) => reader.listConsumerSightings('ks_1', 0));
      assert.deepEqual(rows.map((row) => [row.fetchCount, row.lastFetchAt, row.nextKidSeen, row.name]).sort(), [
        [3, at + 1, 'next', 'billing'],
        [5, at, null, null],
      ]);
      assert.equal(typeof rows[0]!.lastFetchAt, 'number', 'epoch ms come back as numbers');
    });

    it('lists one key set from `since` on, and pruning deletes every instance’s stale rows', async () => {
      const { store } = harness();
      await store.transaction((tx) =>
        tx.putConsumerSightings('i1', [
          sighting('old', { lastFetchAt: 100 }),
          sighting('new', { lastFetchAt: 5_000 }),
          sighting('other', { keySetId: 'ks_2', lastFetchAt: 5_000 }),
        ]),
      );
      await store.transaction((tx) => tx.putConsumerSightings('i2', [sighting('old2', { lastFetchAt: 200 })]));
      const since = (at: number) =>
        store.read(async (reader) =>
          (await reader.listConsumerSightings('ks_1', at)).map((row) => row.consumerKey).sort(),
        );
      assert.deepEqual(await since(150), ['new', 'old2']);
      await store.transaction((tx) => tx.pruneConsumerSightings(1_000));
      assert.deepEqual(await since(0), ['new']);
    });
  });
}

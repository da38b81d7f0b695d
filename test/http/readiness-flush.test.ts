import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { FLUSH_BATCH } from '../../src/services/create-readiness-service.ts';
import { createTestContext, type TestContext } from '../helpers/create-test-context.ts';

// More key sets than one flush batch holds (asserted below). A deployment with thousands of key sets: every verifier that fetches each of them leaves one
// sighting per key set to write at the next flush.
const KEY_SETS = 1_200;

describe('the readiness flush at scale', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = await createTestContext();
  });
  afterEach(() => context.close());

  test('a flush of many key sets writes every sighting and serves the event loop between batches', async () => {
    assert.ok(KEY_SETS > 2 * FLUSH_BATCH, 'the test spans several batches');
    const { recorder } = context.services.readiness;
    const at = context.clock.now;
    for (let index = 0; index < KEY_SETS; index += 1)
      recorder.recordConsumer(
        { name: 'billing', address: '10.0.0.7', userAgent: 'jose/6' },
        [{ keySetId: `ks_scale_${index}`, nextKid: `next_${index}` }],
        at,
      );
    // SQLite writes on the event loop: a callback queued before the flush must get its turn while
    // the flush is still writing, not only after thousands of rows went in at one go.
    let flushed = false;
    let servedDuringFlush = false;
    setImmediate(() => {
      servedDuringFlush = !flushed;
    });
    await context.services.readiness.flush();
    flushed = true;
    assert.ok(servedDuringFlush, 'the event loop ran other work while the flush wrote');
    for (const index of [0, FLUSH_BATCH - 1, FLUSH_BATCH, KEY_SETS - 1]) {
      const sightings = await context.store.read((reader) => reader.listConsumerSightings(`ks_scale_${index}`, 0));
      assert.equal(sightings.length, 1, `key set ${index} has its sighting`);
      assert.equal(sightings[0]!.name, 'billing');
      assert.equal(sightings[0]!.nextKidSeen, `next_${index}`);
    }
    assert.equal(recorder.takeChanged().length, 0, 'nothing is left to write');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_KEY, createRefreshLane } from './create-refresh-lane.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('refreshes run one at a time, in order, and a request for a key still waiting joins it', async () => {
  const lane = createRefreshLane();
  const log: string[] = [];
  let release!: () => void;
  const first = lane.run('keySet:a', async () => {
    log.push('a1 start');
    await new Promise<void>((resolve) => (release = resolve));
    log.push('a1 end');
  });
  await tick();
  // While a1 runs, three more requests for a and one for b: a runs once more, after a1.
  const joined = [
    lane.run('keySet:a', async () => void log.push('a2')),
    lane.run('keySet:b', async () => void log.push('b')),
    lane.run('keySet:a', async () => void log.push('a3')),
  ];
  await tick();
  assert.deepEqual(log, ['a1 start'], 'nothing starts while a refresh runs');
  release();
  await Promise.all([first, ...joined]);
  assert.deepEqual(log, ['a1 start', 'a1 end', 'a2', 'b']);
});

test('a queued full reload absorbs the entity refreshes queued before it; a failure reaches every waiter', async () => {
  const lane = createRefreshLane();
  const log: string[] = [];
  let release!: () => void;
  const busy = lane.run('x', () => new Promise<void>((resolve) => (release = resolve)));
  await tick();
  const waiting = [
    lane.run('keySet:a', async () => void log.push('a')),
    lane.run(ALL_KEY, async () => {
      log.push('all');
      throw new Error('database unreachable');
    }),
    lane.run('keySet:c', async () => void log.push('c')),
  ];
  release();
  await busy;
  const results = await Promise.allSettled(waiting);
  assert.deepEqual(log, ['all'], 'the reload covered a and c');
  assert.ok(results.every((result) => result.status === 'rejected'));
  await lane.run('keySet:a', async () => void log.push('a again'));
  assert.deepEqual(log, ['all', 'a again'], 'the lane keeps working after a failure');
});

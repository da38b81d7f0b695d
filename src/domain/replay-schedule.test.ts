import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replaySchedule } from './replay-schedule.ts';
import { testKey, testPolicy } from '../../test/helpers/test-keys.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 10);

test('replaySchedule carries out AUTO rotations, retirements and renewals as the scheduler would', () => {
  const keys = [
    testKey('A', 'active', { activatedAt: NOW - 89 * DAY }),
    testKey('N', 'next', { publishedAt: NOW - 89 * DAY }),
    testKey('D', 'draining', { drainingSince: NOW - DAY, retireAt: NOW + DAY }),
  ];
  const replay = replaySchedule({
    keys,
    policy: testPolicy(),
    cacheHorizonAt: null,
    from: NOW,
    until: NOW + DAY + 3_600_000,
  });
  const state = Object.fromEntries(replay.keys.map((key) => [key.kid, key.state]));
  assert.deepEqual(state, { A: 'draining', N: 'active', D: 'retired', 'simulated-3': 'next' });
  assert.deepEqual(replay.activations, [{ at: NOW + DAY, kid: 'N', publishedAt: NOW - 89 * DAY }]);
  // The input is left as it was.
  assert.equal(keys[0]?.state, 'active');
});

test('replaySchedule publishes a missing next key at once and renews certificates instead of looping', () => {
  const keys = [testKey('A', 'active', { activatedAt: NOW - DAY, certificateNotAfter: NOW + DAY })];
  const policy = testPolicy({ mode: 'MANUAL' });
  const replay = replaySchedule({ keys, policy, cacheHorizonAt: null, from: NOW, until: NOW + 400 * DAY });
  const next = replay.keys.find((key) => key.state === 'next');
  assert.equal(next?.publishedAt, NOW);
  assert.ok((replay.keys[0]?.certificateNotAfter ?? 0) > NOW + 400 * DAY);
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSignetError } from '../errors.ts';
import { testPolicy } from '../../test/helpers/test-keys.ts';
import { evaluateReadinessGate } from './evaluate-readiness-gate.ts';
import { summarizeReadiness } from './summarize-readiness.ts';
import type { ConsumerSighting } from './types.ts';
import { validatePolicy } from './validate-policy.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 5, 1);

function sighting(consumerKey: string, fields: Partial<ConsumerSighting> = {}): ConsumerSighting {
  return {
    keySetId: 'ks_1',
    consumerKey,
    name: null,
    address: '10.0.0.1',
    userAgent: consumerKey,
    firstSeenAt: NOW - 2 * HOUR,
    lastFetchAt: NOW - HOUR,
    fetchCount: 2,
    nextKidSeen: 'next',
    ...fields,
  };
}

const next = { kid: 'next', publishedAt: NOW - 3 * HOUR };
const summarize = (sightings: ConsumerSighting[]) =>
  summarizeReadiness({ keySetId: 'ks_1', sightings, next, windowSeconds: 7 * 86_400, now: NOW });

describe('summarizeReadiness', () => {
  test("merges one consumer's rows from several instances: earliest first, latest last, counts added, ready if any instance served the next key", () => {
    const readiness = summarize([
      sighting('a', { firstSeenAt: NOW - 4 * HOUR, lastFetchAt: NOW - 2 * HOUR, fetchCount: 3, nextKidSeen: 'old' }),
      sighting('a', { firstSeenAt: NOW - 3 * HOUR, lastFetchAt: NOW - HOUR, fetchCount: 1 }),
    ]);
    assert.equal(readiness.consumerCount, 1);
    const [consumer] = readiness.consumers;
    assert.deepEqual(
      [consumer!.firstSeenAt, consumer!.lastFetchAt, consumer!.fetchCount, consumer!.ready],
      [NOW - 4 * HOUR, NOW - HOUR, 4, true],
    );
    assert.equal(consumer!.observedIntervalSeconds, 3600, '3 hours over 3 intervals');
  });

  test('a consumer that last saw another next key lags since the next key was published; one fetch has no interval', () => {
    const readiness = summarize([sighting('a', { nextKidSeen: 'old', fetchCount: 1 }), sighting('b')]);
    assert.deepEqual([readiness.consumerCount, readiness.readyCount], [2, 1]);
    const lagging = readiness.consumers.find((consumer) => !consumer.ready)!;
    assert.equal(lagging.laggingSince, next.publishedAt);
    assert.equal(lagging.observedIntervalSeconds, null);
    assert.equal(readiness.consumers[0]!.ready, true, 'ready consumers come first');
  });

  test('consumers not seen in the window and other key sets do not count; without a next key nobody is ready or lagging', () => {
    const readiness = summarize([
      sighting('gone', { lastFetchAt: NOW - 8 * DAY }),
      sighting('other', { keySetId: 'ks_2' }),
      sighting('here'),
    ]);
    assert.deepEqual(
      readiness.consumers.map((consumer) => consumer.userAgent),
      ['here'],
    );
    const none = summarizeReadiness({
      keySetId: 'ks_1',
      sightings: [sighting('a')],
      next: null,
      windowSeconds: 86_400,
      now: NOW,
    });
    assert.deepEqual([none.nextKid, none.readyCount, none.consumers[0]!.laggingSince], [null, 0, null]);
  });
});

describe('evaluateReadinessGate', () => {
  const readiness = summarize([
    sighting('a'),
    sighting('b', { nextKidSeen: 'old' }),
    sighting('c', { nextKidSeen: null }),
  ]);

  test('no gate by default: open whatever the readiness', () => {
    assert.deepEqual(evaluateReadinessGate({ policy: testPolicy(), readiness, dueAt: NOW, now: NOW }), {
      open: true,
      reason: 'disabled',
      readyCount: 1,
      consumerCount: 3,
    });
  });

  test('open once the fraction is reached (at the boundary too), closed below it with the lagging consumers', () => {
    const open = evaluateReadinessGate({
      policy: testPolicy({ readinessGatePercent: 33 }),
      readiness,
      dueAt: NOW,
      now: NOW,
    });
    assert.equal(open.open && open.reason, 'ready');
    const closed = evaluateReadinessGate({
      policy: testPolicy({ readinessGatePercent: 34 }),
      readiness,
      dueAt: NOW,
      now: NOW,
    });
    assert.equal(closed.open, false);
    assert.deepEqual(!closed.open && closed.lagging.map((consumer) => consumer.userAgent), ['b', 'c']);
  });

  test('no consumer seen means nobody lags; the maximum wait counts from when the rotation was due', () => {
    const empty = summarize([]);
    const policy = testPolicy({ readinessGatePercent: 100, readinessGateMaxWaitSeconds: 86_400 });
    assert.equal(evaluateReadinessGate({ policy, readiness: empty, dueAt: NOW, now: NOW }).open, true);
    assert.equal(evaluateReadinessGate({ policy, readiness, dueAt: NOW - DAY + 1, now: NOW }).open, false);
    const waited = evaluateReadinessGate({ policy, readiness, dueAt: NOW - DAY, now: NOW });
    assert.equal(waited.open && waited.reason, 'maxWait');
  });
});

describe('the readiness policy fields', () => {
  test('default to a 7-day window and no gate', () => {
    const policy = testPolicy();
    assert.deepEqual(
      [policy.readinessWindowSeconds, policy.readinessGatePercent, policy.readinessGateMaxWaitSeconds],
      [7 * 86_400, 0, 7 * 86_400],
    );
  });

  for (const [field, value] of [
    ['readinessGatePercent', 101],
    ['readinessGatePercent', 0.5],
    ['readinessWindowSeconds', 60],
    ['readinessGateMaxWaitSeconds', -1],
  ] as const) {
    test(`refuse ${field} = ${value} naming the field`, () => {
      assert.throws(
        () => validatePolicy(testPolicy({ [field]: value })),
        (error) =>
          isSignetError(error, 'ERR_VALIDATION') &&
          ((error.details?.fields as string[] | undefined)?.includes(field) ?? false),
      );
    });
  }
});

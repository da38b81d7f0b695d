import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gcra } from './gcra.ts';

const rule = { limit: 3, periodMs: 3000 };

test('allows a burst of the limit, then refuses with the time until the next request passes', () => {
  let tat: number | undefined;
  const remaining: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const decision = gcra(tat, 1000, rule);
    assert.equal(decision.allowed, true);
    remaining.push(decision.remaining);
    tat = decision.tat;
  }
  assert.deepEqual(remaining, [2, 1, 0]);
  const refused = gcra(tat, 1000, rule);
  assert.equal(refused.allowed, false);
  assert.equal(refused.remaining, 0);
  assert.equal(refused.retryAfterMs, 1000);
  assert.equal(refused.tat, tat, 'a refusal consumes nothing');
  assert.equal(refused.resetAt, 2000, 'the reset a refusal reports is when the next request passes');
  assert.equal(gcra(undefined, 1000, rule).resetAt, 2000, 'an accepted one reports when the bucket is full again');
});

test('refills smoothly: one request per interval once the burst is spent', () => {
  let tat: number | undefined;
  for (let i = 0; i < 3; i += 1) tat = gcra(tat, 0, rule).tat;
  assert.equal(gcra(tat, 999, rule).allowed, false);
  const later = gcra(tat, 1000, rule);
  assert.equal(later.allowed, true);
  assert.equal(later.remaining, 0);
  assert.equal(gcra(later.tat, 1000, rule).allowed, false);
  // After a whole idle period the full burst is back.
  assert.equal(gcra(later.tat, 10_000, rule).remaining, 2);
});

test('a peek answers whether the next request would pass without consuming', () => {
  let tat: number | undefined;
  for (let i = 0; i < 2; i += 1) tat = gcra(tat, 0, rule).tat;
  const peek = gcra(tat, 0, rule, false);
  assert.equal(peek.allowed, true);
  assert.equal(peek.tat, tat);
  tat = gcra(tat, 0, rule).tat;
  assert.equal(gcra(tat, 0, rule, false).allowed, false);
});

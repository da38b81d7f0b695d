import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WEBHOOK_MAX_ATTEMPTS, webhookRetryDelayMs } from './webhook-retry-delay.ts';

const HOUR = 3600 * 1000;

test('retry delays double from 30 s up to 6 h and jitter takes off at most a quarter', () => {
  assert.equal(webhookRetryDelayMs(1, 0), 30_000);
  assert.equal(webhookRetryDelayMs(2, 0), 60_000);
  assert.equal(webhookRetryDelayMs(20, 0), 6 * HOUR);
  assert.equal(webhookRetryDelayMs(1, 0.999_999), 22_500);
});

test('the retries of one delivery span more than 24 hours even with the most jitter', () => {
  let shortest = 0;
  for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt += 1)
    shortest += webhookRetryDelayMs(attempt, 0.999_999);
  assert.ok(shortest >= 24 * HOUR, `${shortest / HOUR} h`);
});

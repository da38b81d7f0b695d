/** The first retry waits this long; each later one twice the one before. */
const FIRST_RETRY_SECONDS = 30;
/** No wait between two attempts is longer than this. */
const LONGEST_RETRY_SECONDS = 6 * 60 * 60;

/**
 * Attempts of one delivery before it is marked failed: 16 attempts are 15 waits of 30 s doubling
 * to 6 h, about 38 h in all and at least 28 h with the smallest jitter, so a receiver that is down
 * for a day still gets every event.
 */
export const WEBHOOK_MAX_ATTEMPTS = 16;

/**
 * How long to wait after failed attempt number `attempt` (1-based) before the next: exponential
 * backoff with jitter, `random` in [0, 1) taking off up to a quarter so instances and subscriptions
 * that failed together do not retry together.
 */
export function webhookRetryDelayMs(attempt: number, random: number): number {
  const seconds = Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempt - 1), LONGEST_RETRY_SECONDS);
  return Math.round(seconds * 1000 * (1 - 0.25 * random));
}

import { type GcraDecision, gcra, type RateLimit } from '../domain/gcra.ts';
import { SignetError } from '../errors.ts';

/** The buckets Signet keeps: management calls, token requests, and failed client authentications. */
export type RateLimitBucket =
  | 'managementCredential'
  | 'managementAddress'
  | 'tokenClient'
  | 'tokenAddress'
  | 'authFailureClient'
  | 'authFailureAddress';

/** Requests per minute of every bucket; `enabled: false` limits nothing. */
export interface RateLimitSettings {
  enabled: boolean;
  perMinute: Readonly<Record<RateLimitBucket, number>>;
}

/** The one limiter of an instance, shared by Fastify's routes and the fast token path. */
export interface RateLimiter {
  /** Counts one request against `bucket` for `key`; throws ERR_RATE_LIMITED when it is over the limit. */
  take(bucket: RateLimitBucket, key: string): void;
  /** Throws ERR_RATE_LIMITED when one more request against `bucket` for `key` would be refused, consuming nothing. */
  check(bucket: RateLimitBucket, key: string): void;
}

export interface RateLimiterDeps {
  now: () => number;
  settings: RateLimitSettings;
  /** How many keys a bucket holds before idle ones are dropped (memory bound under address churn). */
  maxKeysPerBucket?: number;
}

const MINUTE_MS = 60_000;

/** The refusal every surface renders as 429, carrying what its rate-limit headers report. */
export function rateLimitedError(decision: GcraDecision): SignetError {
  return new SignetError('ERR_RATE_LIMITED', 'too many requests', {
    limit: decision.limit,
    remaining: decision.remaining,
    resetSeconds: Math.ceil(decision.resetAt / 1000),
    retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
  });
}

/** Builds the in-memory limiter of one instance (GCRA per bucket and key, src/domain/gcra.ts). */
export function createRateLimiter({ now, settings, maxKeysPerBucket = 100_000 }: RateLimiterDeps): RateLimiter {
  const state = new Map<RateLimitBucket, Map<string, number>>();
  const rules = new Map<RateLimitBucket, RateLimit>();
  for (const [bucket, perMinute] of Object.entries(settings.perMinute) as Array<[RateLimitBucket, number]>) {
    state.set(bucket, new Map());
    rules.set(bucket, { limit: perMinute, periodMs: MINUTE_MS });
  }
  function decide(bucket: RateLimitBucket, key: string, consume: boolean): void {
    if (!settings.enabled) return;
    const tats = state.get(bucket)!;
    const at = now();
    const decision = gcra(tats.get(key), at, rules.get(bucket)!, consume);
    if (!decision.allowed) throw rateLimitedError(decision);
    if (!consume) return;
    if (tats.size >= maxKeysPerBucket && !tats.has(key)) {
      // A key whose arrival time has passed is a full bucket: forgetting it changes no decision.
      for (const [old, tat] of tats) if (tat <= at) tats.delete(old);
      if (tats.size >= maxKeysPerBucket) tats.delete(tats.keys().next().value!);
    }
    tats.set(key, decision.tat);
  }
  return {
    take: (bucket, key) => decide(bucket, key, true),
    check: (bucket, key) => decide(bucket, key, false),
  };
}

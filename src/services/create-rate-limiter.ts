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
  /**
   * How many instances share the limits (PostgreSQL: Store.countInstances): each enforces its
   * share, `perMinute / instances` (at least 1), so the total holds behind an even load balancer.
   */
  instances?: () => number;
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
export function createRateLimiter({
  now,
  settings,
  maxKeysPerBucket = 100_000,
  instances = () => 1,
}: RateLimiterDeps): RateLimiter {
  const state = new Map<RateLimitBucket, Map<string, number>>();
  const rules = new Map<RateLimitBucket, RateLimit>();
  let share = 0;
  function ruleOf(bucket: RateLimitBucket): RateLimit {
    const count = Math.max(1, instances());
    if (count !== share) {
      share = count;
      for (const [name, perMinute] of Object.entries(settings.perMinute) as Array<[RateLimitBucket, number]>)
        rules.set(name, { limit: Math.max(1, Math.floor(perMinute / count)), periodMs: MINUTE_MS });
    }
    return rules.get(bucket)!;
  }
  for (const bucket of Object.keys(settings.perMinute) as RateLimitBucket[]) state.set(bucket, new Map());
  function decide(bucket: RateLimitBucket, key: string, consume: boolean): void {
    if (!settings.enabled) return;
    const tats = state.get(bucket)!;
    const at = now();
    const decision = gcra(tats.get(key), at, ruleOf(bucket), consume);
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

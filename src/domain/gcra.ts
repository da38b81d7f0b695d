/**
 * The Generic Cell Rate Algorithm (GCRA, ITU-T I.371; the leaky bucket as a virtual scheduler):
 * `limit` requests per `periodMs`, a burst of up to `limit`, one number of state per key (the
 * theoretical arrival time). Pure: the caller passes `now` and keeps the state.
 */

/** A limit: at most `limit` requests in any window of `periodMs`, refilled smoothly. */
export interface RateLimit {
  limit: number;
  periodMs: number;
}

/** The outcome of one request against one bucket, with what the rate-limit headers report. */
export interface GcraDecision {
  allowed: boolean;
  /** The state to keep: the new theoretical arrival time when allowed, else the unchanged one. */
  tat: number;
  limit: number;
  /** Requests still allowed right now after this one. */
  remaining: number;
  /** When allowed, when the bucket is full again; when refused, when the next request passes (epoch ms). */
  resetAt: number;
  /** How long until a request would be allowed again (0 when allowed). */
  retryAfterMs: number;
}

/** Decides one request against a bucket whose state is `tat`; `consume: false` only asks whether it would pass. */
export function gcra(tat: number | undefined, now: number, rule: RateLimit, consume = true): GcraDecision {
  const interval = rule.periodMs / rule.limit;
  const base = Math.max(tat ?? now, now);
  const next = base + interval;
  // Allowed while the next arrival time stays within one period (the burst tolerance) of now.
  const allowed = next - now <= rule.periodMs + 1e-9;
  const kept = allowed && consume ? next : base;
  const remaining = allowed ? Math.max(0, Math.floor((rule.periodMs - (next - now)) / interval + 1e-9)) : 0;
  const retryAfterMs = allowed ? 0 : Math.ceil(next - rule.periodMs - now);
  return {
    allowed,
    tat: kept,
    limit: rule.limit,
    remaining,
    resetAt: Math.ceil(allowed ? kept : now + retryAfterMs),
    retryAfterMs,
  };
}

import type { ConsumerSighting } from './types.ts';

/** One JWKS consumer as readiness reports it (times epoch ms). */
export interface ConsumerReadiness {
  name: string | null;
  address: string;
  userAgent: string;
  firstSeenAt: number;
  lastFetchAt: number;
  /** Fetched a key set holding the next key since it was published. */
  ready: boolean;
  /** When a lagging consumer should have had the next key (its publication), else null. */
  laggingSince: number | null;
  /** The mean time between its fetches as observed, or null after a single fetch. */
  observedIntervalSeconds: number | null;
  fetchCount: number;
}

/** A key set's verifier readiness (docs/spec.md §7, rollout safety). */
export interface Readiness {
  keySetId: string;
  nextKid: string | null;
  /** When the next key was published, or null without one. */
  nextPublishedAt: number | null;
  windowSeconds: number;
  consumerCount: number;
  readyCount: number;
  /** Ready consumers first, then lagging ones, each oldest first. */
  consumers: ConsumerReadiness[];
}

export interface SummarizeReadinessInput {
  keySetId: string;
  /** Every instance's sightings of the key set's consumers. */
  sightings: readonly ConsumerSighting[];
  next: { kid: string; publishedAt: number } | null;
  windowSeconds: number;
  now: number;
}

/**
 * Aggregates every instance's sightings into the key set's readiness: a consumer counts when it
 * fetched within the window, and is ready when some instance served it a key set holding the
 * next key (which it can only have fetched after that key was published). Without a next key
 * nobody is ready and nobody lags.
 */
export function summarizeReadiness({
  keySetId,
  sightings,
  next,
  windowSeconds,
  now,
}: SummarizeReadinessInput): Readiness {
  const since = now - windowSeconds * 1000;
  const merged = new Map<string, ConsumerSighting & { ready: boolean }>();
  for (const sighting of sightings) {
    if (sighting.keySetId !== keySetId) continue;
    const ready = next !== null && sighting.nextKidSeen === next.kid;
    const seen = merged.get(sighting.consumerKey);
    if (!seen) {
      merged.set(sighting.consumerKey, { ...sighting, ready });
      continue;
    }
    seen.firstSeenAt = Math.min(seen.firstSeenAt, sighting.firstSeenAt);
    seen.lastFetchAt = Math.max(seen.lastFetchAt, sighting.lastFetchAt);
    seen.fetchCount += sighting.fetchCount;
    seen.ready ||= ready;
  }
  const consumers: ConsumerReadiness[] = [...merged.values()]
    .filter((consumer) => consumer.lastFetchAt >= since)
    .map((consumer) => ({
      name: consumer.name,
      address: consumer.address,
      userAgent: consumer.userAgent,
      firstSeenAt: consumer.firstSeenAt,
      lastFetchAt: consumer.lastFetchAt,
      ready: consumer.ready,
      laggingSince: next !== null && !consumer.ready ? next.publishedAt : null,
      observedIntervalSeconds:
        consumer.fetchCount > 1
          ? Math.round((consumer.lastFetchAt - consumer.firstSeenAt) / (consumer.fetchCount - 1) / 1000)
          : null,
      fetchCount: consumer.fetchCount,
    }))
    .sort((a, b) => Number(b.ready) - Number(a.ready) || a.firstSeenAt - b.firstSeenAt);
  return {
    keySetId,
    nextKid: next?.kid ?? null,
    nextPublishedAt: next?.publishedAt ?? null,
    windowSeconds,
    consumerCount: consumers.length,
    readyCount: consumers.filter((consumer) => consumer.ready).length,
    consumers,
  };
}

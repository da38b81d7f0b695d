import type { IncomingMessage } from 'node:http';
import type { ConsumerSighting } from '../domain/types.ts';
import type { JwksDocument } from './serialize-jwks.ts';

/** The longest consumer name, address and User-Agent kept: a consumer cannot grow memory by sending more. */
const MAX_NAME = 64;
const MAX_ADDRESS = 64;
const MAX_USER_AGENT = 256;

export interface ReadinessRecorderOptions {
  /** The most consumers kept per key set; past it the one that fetched least recently is evicted. */
  maxConsumersPerKeySet: number;
  /** Take the source address from X-Forwarded-For (SIGNET_TRUST_PROXY). */
  trustProxy: boolean;
}

/** This instance's in-memory record of who fetched which key set, flushed to the database at an interval. */
export interface ReadinessRecorder {
  /** Notes one JWKS fetch of `document` by the consumer `request` comes from; no I/O. */
  record(request: IncomingMessage, document: JwksDocument, now: number): void;
  /**
   * Notes one fetch of `keySets` by a consumer known without an HTTP request (the Kubernetes
   * FetchKeys caller on a Unix socket); names, address and User-Agent are cut as `record` cuts them.
   */
  recordConsumer(consumer: ConsumerIdentity, keySets: JwksDocument['keySets'], now: number): void;
  /** The sightings changed since the last call, to write to the database; marks them clean. */
  takeChanged(): ConsumerSighting[];
  /** Consumers evicted so far because a key set reached the cap. */
  evictedCount(): number;
  /** Consumers currently held, over every key set. */
  size(): number;
}

type Entry = ConsumerSighting & { changed: boolean };

/** Who fetched: the optional name a verifier gives itself, its source address and User-Agent. */
export interface ConsumerIdentity {
  name: string | null;
  address: string;
  userAgent: string;
}

/**
 * The consumer identity last computed on a connection: a keep-alive connection sends the same
 * User-Agent and name request after request, so its key string (already hashed by the maps) is
 * reused instead of being built and hashed again per request.
 */
interface CachedIdentity {
  userAgentHeader: string | undefined;
  nameHeader: string | string[] | undefined;
  url: string | undefined;
  name: string | null;
  address: string;
  userAgent: string;
  consumerKey: string;
}
const IDENTITY = Symbol('signet.consumerIdentity');
type IdentifiedSocket = { [IDENTITY]?: CachedIdentity };

/** The consumer's name: `?consumer=NAME` or the `Signet-Consumer` header, or null. */
function consumerName(request: IncomingMessage): string | null {
  const header = request.headers['signet-consumer'];
  if (typeof header === 'string' && header !== '') return header.slice(0, MAX_NAME);
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (query === -1) return null;
  const name = new URLSearchParams(url.slice(query + 1)).get('consumer');
  return name ? name.slice(0, MAX_NAME) : null;
}

function evictLeastRecent(consumers: Map<string, Entry>): void {
  let oldest: Entry | undefined;
  for (const entry of consumers.values()) if (!oldest || entry.lastFetchAt < oldest.lastFetchAt) oldest = entry;
  if (oldest) consumers.delete(oldest.consumerKey);
}

function sourceAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    // The leftmost entry is the client, as Fastify's trustProxy (and so the audit log) takes it.
    const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
    if (first) return first.slice(0, MAX_ADDRESS);
  }
  return (request.socket.remoteAddress ?? '').slice(0, MAX_ADDRESS);
}

/**
 * Creates the recorder the JWKS rule of request-rules.ts feeds. A fetch by a known consumer on a
 * connection it used before costs two map lookups and four field writes: no database write, no
 * allocation. Memory is bounded by `maxConsumersPerKeySet` per key set; a new consumer past it
 * evicts the least recently fetched one, found by a scan (only then, so the common fetch does not
 * pay to keep an order).
 */
export function createReadinessRecorder({
  maxConsumersPerKeySet,
  trustProxy,
}: ReadinessRecorderOptions): ReadinessRecorder {
  const byKeySet = new Map<string, Map<string, Entry>>();
  let evicted = 0;

  function identify(request: IncomingMessage): CachedIdentity {
    const socket = request.socket as unknown as IdentifiedSocket;
    const userAgentHeader = request.headers['user-agent'];
    const nameHeader = request.headers['signet-consumer'];
    const cached = socket[IDENTITY];
    // The URL matters only when it carries a query (`?consumer=`).
    const url = request.url?.includes('?') ? request.url : undefined;
    if (
      cached &&
      cached.userAgentHeader === userAgentHeader &&
      cached.nameHeader === nameHeader &&
      cached.url === url &&
      !trustProxy
    )
      return cached;
    const name = consumerName(request);
    const address = sourceAddress(request, trustProxy);
    const userAgent = (userAgentHeader ?? '').slice(0, MAX_USER_AGENT);
    const identity = {
      userAgentHeader,
      nameHeader,
      url,
      name,
      address,
      userAgent,
      consumerKey: `${name ?? ''}\n${address}\n${userAgent}`,
    };
    socket[IDENTITY] = identity;
    return identity;
  }

  function note(identity: ConsumerIdentity & { consumerKey: string }, keySets: JwksDocument['keySets'], now: number) {
    const { name, address, userAgent, consumerKey } = identity;
    for (const { keySetId, nextKid } of keySets) {
      let consumers = byKeySet.get(keySetId);
      if (!consumers) byKeySet.set(keySetId, (consumers = new Map()));
      const entry = consumers.get(consumerKey);
      if (entry) {
        entry.lastFetchAt = now;
        entry.fetchCount += 1;
        entry.nextKidSeen = nextKid;
        entry.changed = true;
        continue;
      }
      if (consumers.size >= maxConsumersPerKeySet) {
        evictLeastRecent(consumers);
        evicted += 1;
      }
      consumers.set(consumerKey, {
        keySetId,
        consumerKey,
        name,
        address,
        userAgent,
        firstSeenAt: now,
        lastFetchAt: now,
        fetchCount: 1,
        nextKidSeen: nextKid,
        changed: true,
      });
    }
  }

  return {
    record(request, document, now) {
      if (document.keySets.length === 0) return;
      note(identify(request), document.keySets, now);
    },
    recordConsumer(consumer, keySets, now) {
      if (keySets.length === 0) return;
      const name = consumer.name ? consumer.name.slice(0, MAX_NAME) : null;
      const address = consumer.address.slice(0, MAX_ADDRESS);
      const userAgent = consumer.userAgent.slice(0, MAX_USER_AGENT);
      note({ name, address, userAgent, consumerKey: `${name ?? ''}\n${address}\n${userAgent}` }, keySets, now);
    },
    takeChanged() {
      const changed: ConsumerSighting[] = [];
      for (const consumers of byKeySet.values())
        for (const entry of consumers.values())
          if (entry.changed) {
            entry.changed = false;
            const { changed: _changed, ...sighting } = entry;
            changed.push(sighting);
          }
      return changed;
    },
    evictedCount: () => evicted,
    size() {
      let total = 0;
      for (const consumers of byKeySet.values()) total += consumers.size;
      return total;
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Metrics } from '../metrics/create-metrics.ts';
import type { ReadinessRecorder } from '../runtime/create-readiness-recorder.ts';
import type { JwksDocument } from '../runtime/serialize-jwks.ts';

/** Which path answered a request: a fast handler in front of Fastify, or Fastify itself. */
export type ServingPath = 'fast-jwks' | 'fast-token' | 'fast-sign' | 'fastify';

/**
 * The rules every request follows, whichever path serves it. Fastify's global hooks and the fast
 * handlers (src/http/public/create-fast-*-handler.ts) both call these, so a rule added here
 * applies to both and cannot be forgotten on one of them.
 */
export interface RequestRules {
  /** The request id: the caller's `X-Request-Id` when it sent one, else a random UUID. */
  requestId(request: IncomingMessage): string;
  /**
   * Adds the headers every response carries to `headers` and returns it: `x-request-id`, and
   * `connection: close` while shutting down so a drain ends with the last response.
   */
  addResponseHeaders(headers: OutgoingHttpHeaders, requestId: string): OutgoingHttpHeaders;
  /**
   * The source address the rate limits key on: the socket's peer, or with `trustProxy` the first
   * X-Forwarded-For entry (what Fastify's `request.ip` gives behind a trusted proxy).
   */
  clientAddress(request: IncomingMessage): string;
  /** Records the request metric under the route pattern that served it (`unmatched` for a 404). */
  observe(method: string, route: string, status: number, seconds: number): void;
  /**
   * Notes that `request` was served `document` (200 or 304) at `now` by a JWKS route, for verifier
   * readiness (docs/spec.md §7, rollout safety): in memory only, written to the database at an interval.
   */
  jwksServed(request: IncomingMessage, document: JwksDocument, now: number): void;
}

export interface RequestRulesDeps {
  metrics: Metrics;
  isReady: () => boolean;
  /** Where JWKS fetches are noted; null turns readiness tracking off (the bench's comparison). */
  readiness: ReadinessRecorder | null;
  trustProxy?: boolean;
}

/** Builds the per-request rules shared by Fastify's hooks and the fast paths. */
export function createRequestRules({
  metrics,
  isReady,
  readiness,
  trustProxy = false,
}: RequestRulesDeps): RequestRules {
  return {
    requestId(request) {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && given !== '' ? given : randomUUID();
    },
    addResponseHeaders(headers, requestId) {
      headers['x-request-id'] = requestId;
      if (!isReady()) headers.connection = 'close';
      return headers;
    },
    clientAddress(request) {
      const forwarded = trustProxy ? request.headers['x-forwarded-for'] : undefined;
      const first = typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : '';
      return first !== '' ? first : (request.socket.remoteAddress ?? 'unknown');
    },
    observe: metrics.observeRequest,
    jwksServed: readiness ? (request, document, at) => readiness.record(request, document, at) : () => {},
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { SignetError } from '../../errors.ts';
import type { RequestRules } from '../request-rules.ts';
import { toSignetError } from '../to-signet-error.ts';
import type { FastRoute } from './match-fast-route.ts';

/** What a fast path for a POST route with a body takes, and what it hands to Fastify. */
export interface FastBodyGate {
  rules: RequestRules;
  /** The one content type taken, exactly (no parameters): anything else is Fastify's to parse or refuse. */
  contentType: string;
  bodyLimitBytes: number;
  isReady: () => boolean;
  /** Where an unexpected error is logged, as Fastify's error handler logs it; false logs nothing. */
  logger: Logger | false;
  /** The route's matcher (createFastRouteMatcher). */
  match: (url: string, host: string | undefined) => FastRoute | undefined;
}

/** A POST request a fast path has taken: its route, and how to read its body and answer it. */
export interface FastBodyRequest {
  route: FastRoute;
  requestId: string;
  /** Collects the whole body and calls `onBody` with it as UTF-8 text. */
  readText(onBody: (text: string) => void): void;
  /**
   * Sends a JSON answer with the headers every response carries (request-rules.ts) and records the
   * request metric under the route's label, as Fastify's hooks would.
   */
  sendJson(status: number, headers: Record<string, string | number>, payload: string): void;
  /** The SignetError a failure answers as; an unexpected one (ERR_INTERNAL) is logged with the request id. */
  refusalOf(error: unknown): SignetError;
}

/**
 * The shared prologue of the fast paths for POST routes (the token endpoint, the signing API): the
 * request is taken only when everything Fastify would check before reading the body holds (POST,
 * exactly `gate.contentType`, a Content-Length within the body limit, no transfer encoding, a
 * tenant and server that exist, the instance ready); otherwise undefined, and Fastify gets the
 * request untouched.
 */
export function acceptFastBodyRequest(
  request: IncomingMessage,
  response: ServerResponse,
  gate: FastBodyGate,
): FastBodyRequest | undefined {
  if (request.method !== 'POST' || !gate.isReady()) return undefined;
  const started = performance.now();
  // An empty, chunked, oversized or differently typed body is Fastify's to refuse or parse.
  const length = Number(request.headers['content-length']);
  if (request.headers['content-type'] !== gate.contentType || request.headers['transfer-encoding'] !== undefined)
    return undefined;
  if (!Number.isSafeInteger(length) || length < 1 || length > gate.bodyLimitBytes) return undefined;
  const route = gate.match(request.url ?? '', request.headers.host);
  if (!route) return undefined;
  const { rules } = gate;
  const requestId = rules.requestId(request);
  return {
    route,
    requestId,
    readText(onBody) {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => onBody((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')));
    },
    sendJson(status, headers, payload) {
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['content-length'] = Buffer.byteLength(payload);
      response.writeHead(status, rules.addResponseHeaders(headers, requestId));
      response.end(payload);
      rules.observe('POST', route.label, status, (performance.now() - started) / 1000);
    },
    refusalOf(error) {
      const signetError = toSignetError(error);
      if (signetError.code === 'ERR_INTERNAL' && gate.logger)
        gate.logger.error({ err: error, reqId: requestId }, 'unhandled error');
      return signetError;
    },
  };
}

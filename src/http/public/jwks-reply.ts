import { jwksMaxAgeSeconds } from '../../domain/jwks-max-age.ts';
import type { JwksDocument } from '../../runtime/serialize-jwks.ts';

/** A JWKS response, the same whether Fastify or the fast path sends it. */
export interface JwksReply {
  status: 200 | 304;
  headers: Record<string, string>;
  /** The pre-serialised document, or null for a 304. */
  body: Buffer | null;
}

/** True when an If-None-Match header (a list, weak or strong tags, or `*`) matches `etag` (RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string, etag: string): boolean {
  // The common case, a client sending back exactly the tag it was given, needs no parsing.
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

/**
 * The JWKS response for `document` at `now` (docs/spec.md §3): max-age never past the next scheduled
 * change, a strong ETag, 304 to a matching If-None-Match, and CORS for browser relying parties.
 */
export function jwksReply(document: JwksDocument, ifNoneMatch: string | undefined, now: number): JwksReply {
  const headers: Record<string, string> = {
    'cache-control': `public, max-age=${jwksMaxAgeSeconds(document, document.nextChangeAt, now)}, must-revalidate`,
    etag: document.etag,
    'access-control-allow-origin': '*',
  };
  if (ifNoneMatch && matches(ifNoneMatch, document.etag)) return { status: 304, headers, body: null };
  headers['content-type'] = 'application/json; charset=utf-8';
  return { status: 200, headers, body: document.body };
}

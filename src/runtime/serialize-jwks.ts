import { createHash } from 'node:crypto';
import type { KeySetView } from './build-key-set-view.ts';

/** A JWKS serialised once per change, served as bytes with its ETag. */
export interface JwksDocument {
  body: Buffer;
  etag: string;
  /** The soonest scheduled change among the key sets (epoch ms), or null. */
  nextChangeAt: number | null;
  /** The smallest jwksMaxAgeSeconds among the key sets' policies. */
  jwksMaxAgeSeconds: number;
  /** The key sets it holds and each one's next kid (null without one), for verifier readiness. */
  keySets: readonly { keySetId: string; nextKid: string | null }[];
}

/** Serialises the published keys of `views` into one JWKS document with a strong ETag. */
export function serializeJwks(views: readonly KeySetView[], defaultMaxAgeSeconds: number): JwksDocument {
  const body = Buffer.from(JSON.stringify({ keys: views.flatMap((view) => view.jwksEntries) }));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const changes = views.map((view) => view.nextChangeAt).filter((at): at is number => at !== null);
  return {
    body,
    etag,
    nextChangeAt: changes.length > 0 ? Math.min(...changes) : null,
    jwksMaxAgeSeconds:
      views.length > 0 ? Math.min(...views.map((view) => view.keySet.policy.jwksMaxAgeSeconds)) : defaultMaxAgeSeconds,
    keySets: views.map((view) => ({
      keySetId: view.keySet.id,
      nextKid: view.keys.find((key) => key.state === 'next')?.kid ?? null,
    })),
  };
}

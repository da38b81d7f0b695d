import { createHash, timingSafeEqual } from 'node:crypto';

const DIGEST_BYTES = 32;

// Generated secrets carry 256 bits of entropy, so one SHA-256 is enough to protect them at rest;
// PBKDF2/scrypt/bcrypt exist for low-entropy passwords and would cap a core at a few checks per
// second (performance-facts: client-secret check).
function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The stored form of a generated secret or token: base64url SHA-256. */
export function hashSecret(secret: string): string {
  return digest(secret).toString('base64url');
}

/** True when `secret` hashes to `hash`, compared in constant time. */
export function secretMatches(secret: string, hash: string): boolean {
  const actual = digest(secret);
  const expected = Buffer.from(hash, 'base64url');
  // Both sides are digests, so only a malformed stored hash differs in length; timingSafeEqual needs equal lengths.
  if (expected.length !== DIGEST_BYTES) return false;
  return timingSafeEqual(actual, expected);
}

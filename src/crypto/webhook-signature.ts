import { createHmac, randomBytes } from 'node:crypto';
import { SignetError } from '../errors.ts';

const SECRET_PREFIX = 'whsec_';
// Standard Webhooks recommends 24 to 64 bytes of key.
const SECRET_BYTES = 32;

/** A new Standard Webhooks signing secret, `whsec_` and the base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The raw key bytes of a `whsec_` secret. */
export function webhookSecretBytes(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new SignetError('ERR_INTERNAL', 'a webhook secret is malformed');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/**
 * The `webhook-signature` header value of Standard Webhooks: one `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` per key, space-separated, so a receiver holding either the old or the new
 * secret during a rotation verifies the message.
 */
export function webhookSignature(keys: readonly Buffer[], id: string, timestampSeconds: number, body: string): string {
  const content = `${id}.${timestampSeconds}.${body}`;
  return keys.map((key) => `v1,${createHmac('sha256', key).update(content).digest('base64')}`).join(' ');
}

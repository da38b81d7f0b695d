import { tag } from '../components/badges.js';

/** @typedef {import('../lib/api-types.js').WebhookResource} WebhookResource */
/** @typedef {import('../lib/api-types.js').WebhookEventType} WebhookEventType */

/**
 * Every event type a subscription can ask for (docs/events.md); the type annotation keeps each one
 * a type the server sends.
 * @type {[WebhookEventType, string][]}
 */
export const EVENT_TYPES = [
  ['dev.signet.key.generated', 'a new key is published as next'],
  ['dev.signet.key.imported', 'an imported key is published'],
  ['dev.signet.key.activated', 'a key starts signing'],
  ['dev.signet.key.draining', 'a key stops signing'],
  ['dev.signet.key.retired', 'a key leaves the JWKS'],
  ['dev.signet.key.revoked', 'a key is revoked'],
  ['dev.signet.certificate.renewed', 'a certificate is renewed'],
  ['dev.signet.certificate.expiring', 'a CA certificate nears expiry'],
  ['dev.signet.keyset.policy-changed', 'a rotation policy changes'],
  ['dev.signet.rotation.overdue', 'an AUTO rotation ran late'],
];

const STATUS_TEXT = /** @type {const} */ ({
  healthy: ['healthy', 'accent', 'the last attempts succeeded'],
  failing: ['failing', 'warning', 'repeated attempts failed; Signet keeps retrying'],
  paused: ['paused', 'neutral', 'receives no new events'],
});

/**
 * The health tag of a subscription.
 * @param {WebhookResource} webhook
 */
export function webhookStatusTag(webhook) {
  const [text, variant, title] = STATUS_TEXT[webhook.status];
  const element = tag(text, variant);
  element.title = title;
  element.dataset.status = webhook.status;
  return element;
}

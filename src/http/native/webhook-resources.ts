import type { Webhook, WebhookAttempt } from '../../domain/webhook-types.ts';
import type { WebhookDeliveryReport } from '../../services/create-webhook-service.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The health a dashboard shows: paused, failing (repeated failed attempts) or healthy. */
function statusOf(webhook: Webhook): 'paused' | 'failing' | 'healthy' {
  if (!webhook.enabled) return 'paused';
  return webhook.failing ? 'failing' : 'healthy';
}

/** The native resource of a subscription; the secret, sealed or not, is never part of it. */
export function webhookResource(webhook: Webhook) {
  return {
    id: webhook.id,
    tenantId: webhook.tenantId,
    url: webhook.url,
    eventTypes: webhook.eventTypes,
    keySetIds: webhook.keySetIds,
    enabled: webhook.enabled,
    status: statusOf(webhook),
    consecutiveFailures: webhook.consecutiveFailures,
    previousSecretExpiresAt: iso(
      webhook.previousSecretExpiresAt !== null && webhook.previousSealedSecret !== null
        ? webhook.previousSecretExpiresAt
        : null,
    ),
    createdAt: iso(webhook.createdAt),
    updatedAt: iso(webhook.updatedAt),
  };
}

function attemptResource(attempt: WebhookAttempt) {
  return {
    at: iso(attempt.at),
    outcome: attempt.outcome,
    responseCode: attempt.responseCode,
    latencyMs: attempt.latencyMs,
    error: attempt.error,
  };
}

/** The native resource of a delivery, its event and every attempt. */
export function webhookDeliveryResource(delivery: WebhookDeliveryReport) {
  return {
    id: delivery.id,
    webhookId: delivery.webhookId,
    eventId: delivery.event.id,
    eventType: delivery.event.type,
    subject: delivery.event.subject,
    eventTime: iso(delivery.event.time),
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? iso(delivery.nextAttemptAt) : null,
    lastResponseCode: delivery.lastResponseCode,
    lastError: delivery.lastError,
    deliveredAt: iso(delivery.deliveredAt),
    attemptLog: delivery.attemptLog.map(attemptResource),
  };
}

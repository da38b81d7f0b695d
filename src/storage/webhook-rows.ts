import type { WebhookEventType } from '../domain/webhook-event-types.ts';
import type {
  Webhook,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookDeliveryWithEvent,
  WebhookEvent,
} from '../domain/webhook-types.ts';
import type { Params } from './rows.ts';

export interface WebhookRow {
  id: string;
  tenant_id: string;
  url: string;
  event_types: string | null;
  key_set_ids: string | null;
  enabled: number;
  sealed_secret: string;
  previous_sealed_secret: string | null;
  previous_secret_expires_at: number | null;
  failing: number;
  consecutive_failures: number;
  created_at: number;
  updated_at: number;
}

/** Maps a webhooks row to a Webhook. */
export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as WebhookEventType[]),
    keySetIds: row.key_set_ids === null ? null : (JSON.parse(row.key_set_ids) as string[]),
    enabled: row.enabled === 1,
    sealedSecret: row.sealed_secret,
    previousSealedSecret: row.previous_sealed_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    failing: row.failing === 1,
    consecutiveFailures: row.consecutive_failures,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The webhooks columns of a subscription. */
export function webhookParams(webhook: Webhook): Params {
  return {
    id: webhook.id,
    tenant_id: webhook.tenantId,
    url: webhook.url,
    event_types: webhook.eventTypes === null ? null : JSON.stringify(webhook.eventTypes),
    key_set_ids: webhook.keySetIds === null ? null : JSON.stringify(webhook.keySetIds),
    enabled: webhook.enabled ? 1 : 0,
    sealed_secret: webhook.sealedSecret,
    previous_sealed_secret: webhook.previousSealedSecret,
    previous_secret_expires_at: webhook.previousSecretExpiresAt,
    failing: webhook.failing ? 1 : 0,
    consecutive_failures: webhook.consecutiveFailures,
    created_at: webhook.createdAt,
    updated_at: webhook.updatedAt,
  };
}

export interface WebhookEventRow {
  seq: number;
  id: string;
  tenant_id: string;
  type: string;
  subject: string | null;
  key_set_id: string | null;
  time: number;
  data: string;
}

/** The webhook_events columns of an event (the seq is the database's). */
export function webhookEventParams(event: Omit<WebhookEvent, 'seq'>): Params {
  return {
    id: event.id,
    tenant_id: event.tenantId,
    type: event.type,
    subject: event.subject,
    key_set_id: event.keySetId,
    time: event.time,
    data: JSON.stringify(event.data),
  };
}

/** A delivery row joined with its event's columns (prefixed `event_`). */
export interface WebhookDeliveryRow {
  id: string;
  webhook_id: string;
  tenant_id: string;
  event_seq: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_response_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
  event_id: string;
  event_type: string;
  event_subject: string | null;
  event_key_set_id: string | null;
  event_time: number;
  event_data: string;
}

/** The SELECT list and FROM clause that `toWebhookDelivery` reads (`d` the delivery, `e` its event). */
export const DELIVERY_WITH_EVENT = `SELECT d.*, e.id AS event_id, e.type AS event_type, e.subject AS event_subject,
  e.key_set_id AS event_key_set_id, e.time AS event_time, e.data AS event_data
  FROM webhook_deliveries d JOIN webhook_events e ON e.seq = d.event_seq`;

/** Maps a joined delivery row to a delivery with its event. */
export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDeliveryWithEvent {
  const delivery: WebhookDelivery = {
    id: row.id,
    webhookId: row.webhook_id,
    tenantId: row.tenant_id,
    eventSeq: row.event_seq,
    status: row.status as WebhookDeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastResponseCode: row.last_response_code,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
  return {
    ...delivery,
    event: {
      seq: row.event_seq,
      id: row.event_id,
      tenantId: row.tenant_id,
      type: row.event_type as WebhookEventType,
      subject: row.event_subject,
      keySetId: row.event_key_set_id,
      time: row.event_time,
      data: JSON.parse(row.event_data) as Record<string, unknown>,
    },
  };
}

export interface WebhookAttemptRow {
  delivery_id: string;
  webhook_id: string;
  at: number;
  outcome: string;
  response_code: number | null;
  latency_ms: number;
  error: string | null;
}

/** Maps a webhook_attempts row to an attempt. */
export function toWebhookAttempt(row: WebhookAttemptRow): WebhookAttempt {
  return {
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    at: row.at,
    outcome: row.outcome as WebhookAttempt['outcome'],
    responseCode: row.response_code,
    latencyMs: row.latency_ms,
    error: row.error,
  };
}

/** The webhook_attempts columns of an attempt. */
export function webhookAttemptParams(attempt: WebhookAttempt): Params {
  return {
    delivery_id: attempt.deliveryId,
    webhook_id: attempt.webhookId,
    at: attempt.at,
    outcome: attempt.outcome,
    response_code: attempt.responseCode,
    latency_ms: attempt.latencyMs,
    error: attempt.error,
  };
}

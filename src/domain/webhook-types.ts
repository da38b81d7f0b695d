import type { WebhookEventType } from './webhook-event-types.ts';

/** A tenant's subscription to lifecycle events (docs/events.md). */
export interface Webhook {
  id: string;
  tenantId: string;
  url: string;
  /** The event types sent; null for all. */
  eventTypes: WebhookEventType[] | null;
  /** Only events of these key sets; null for all. */
  keySetIds: string[] | null;
  enabled: boolean;
  /** The Standard Webhooks secret (`whsec_...`), sealed under the master key. */
  sealedSecret: string;
  /** The secret replaced by the last rotation, still signing beside the new one until `previousSecretExpiresAt`. */
  previousSealedSecret: string | null;
  previousSecretExpiresAt: number | null;
  /** Set after repeated failed attempts in a row, cleared by the next success. */
  failing: boolean;
  consecutiveFailures: number;
  createdAt: number;
  updatedAt: number;
}

/** One lifecycle event in the outbox, written in the transaction of the change it reports. */
export interface WebhookEvent {
  /** Commit order: events are delivered in this order per subscription. */
  seq: number;
  /** The CloudEvents `id` and the Standard Webhooks `webhook-id`, the same on every attempt. */
  id: string;
  tenantId: string;
  type: WebhookEventType;
  /** `keySetId` or `keySetId/kid`. */
  subject: string | null;
  keySetId: string | null;
  time: number;
  data: Record<string, unknown>;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event on its way to one subscription. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  tenantId: string;
  eventSeq: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  lastResponseCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  createdAt: number;
}

/** A delivery with its event, as the loop sends it and the API lists it. */
export interface WebhookDeliveryWithEvent extends WebhookDelivery {
  event: WebhookEvent;
}

/** What one HTTP attempt did. */
export interface WebhookAttempt {
  deliveryId: string;
  webhookId: string;
  at: number;
  outcome: 'delivered' | 'failed';
  responseCode: number | null;
  latencyMs: number;
  /** Why it failed, in Signet's words (timeout, refused address, ...); never the response body. */
  error: string | null;
}

/** What an attempt leaves on its delivery. */
export interface WebhookAttemptResult {
  attempt: WebhookAttempt;
  /** The lease the attempt ran under; a delivery whose lease another instance took is left to it. */
  leaseOwner: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  /** Failed attempts in a row after which the subscription is marked failing. */
  failingAfter: number;
}

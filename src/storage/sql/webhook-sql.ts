import type { Webhook, WebhookAttemptResult } from '../../domain/webhook-types.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import {
  DELIVERY_WITH_EVENT,
  toWebhook,
  toWebhookAttempt,
  toWebhookDelivery,
  webhookAttemptParams,
  webhookParams,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookRow,
} from '../webhook-rows.ts';
import type { SqlContext } from './create-sql-context.ts';

/** The reads and writes of webhook subscriptions, their deliveries and attempts. */
export function webhookSql({ session, write, insert }: SqlContext) {
  const reads = {
    async getWebhook(tenantId, id) {
      const row = await session.get<WebhookRow>('SELECT * FROM webhooks WHERE tenant_id = :tenant_id AND id = :id', {
        tenant_id: tenantId,
        id,
      });
      return row && toWebhook(row);
    },

    async listWebhooks(tenantId) {
      const rows = await session.all<WebhookRow>(
        'SELECT * FROM webhooks WHERE tenant_id = :tenant_id ORDER BY created_at, id',
        { tenant_id: tenantId },
      );
      return rows.map(toWebhook);
    },

    async listWebhookDeliveries(webhookId, limit) {
      const rows = await session.all<WebhookDeliveryRow>(
        `${DELIVERY_WITH_EVENT} WHERE d.webhook_id = :webhook_id ORDER BY d.event_seq DESC LIMIT :limit`,
        { webhook_id: webhookId, limit: Math.max(0, Math.floor(limit)) },
      );
      return rows.map(toWebhookDelivery);
    },

    async getWebhookDelivery(webhookId, id) {
      const row = await session.get<WebhookDeliveryRow>(
        `${DELIVERY_WITH_EVENT} WHERE d.webhook_id = :webhook_id AND d.id = :id`,
        { webhook_id: webhookId, id },
      );
      return row && toWebhookDelivery(row);
    },

    async listWebhookAttempts(deliveryId) {
      const rows = await session.all<WebhookAttemptRow>(
        'SELECT * FROM webhook_attempts WHERE delivery_id = :delivery_id ORDER BY id',
        { delivery_id: deliveryId },
      );
      return rows.map(toWebhookAttempt);
    },

    async listDueWebhookDeliveries(now, limit) {
      // Only the oldest pending delivery of each subscription is ever due: commit order per
      // subscription, and one event in flight per subscription whichever instance sends it.
      const rows = await session.all<WebhookDeliveryRow>(
        `${DELIVERY_WITH_EVENT} JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.status = 'pending' AND w.enabled = 1 AND d.next_attempt_at <= :now
           AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= :now)
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
             WHERE p.webhook_id = d.webhook_id AND p.status = 'pending' AND p.event_seq < d.event_seq)
         ORDER BY d.event_seq LIMIT :limit`,
        { now, limit: Math.max(0, Math.floor(limit)) },
      );
      return rows.map(toWebhookDelivery);
    },

    async countWebhookEvents() {
      const row = await session.get<{ n: number | null }>('SELECT MAX(seq) AS n FROM webhook_events');
      return Number(row?.n ?? 0);
    },

    async countPendingWebhookDeliveries() {
      const row = await session.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'",
      );
      return Number(row?.n ?? 0);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async insertWebhook(webhook: Webhook) {
      await insert('webhooks', webhookParams(webhook), {
        label: `webhook ${webhook.id}`,
        details: { webhookId: webhook.id },
      });
    },

    async updateWebhook(webhook: Webhook) {
      const { id: _id, tenant_id: _tenant, created_at: _created, ...mutable } = webhookParams(webhook);
      const id = webhook.id;
      await write(
        `UPDATE webhooks SET ${Object.keys(mutable)
          .map((column) => `${column} = :${column}`)
          .join(', ')} WHERE id = :id`,
        { ...mutable, id },
        { label: `webhook ${id}`, details: { webhookId: webhook.id } },
      );
    },

    async deleteWebhook(tenantId, id) {
      const target = { label: `webhook ${id}`, details: { webhookId: id } };
      // The attempts and deliveries go with it; the events stay, as other subscriptions may share them.
      await write(
        'DELETE FROM webhook_attempts WHERE webhook_id IN (SELECT id FROM webhooks WHERE tenant_id = :tenant_id AND id = :id)',
        { tenant_id: tenantId, id },
        target,
      );
      await write(
        'DELETE FROM webhook_deliveries WHERE webhook_id IN (SELECT id FROM webhooks WHERE tenant_id = :tenant_id AND id = :id)',
        { tenant_id: tenantId, id },
        target,
      );
      const deleted = await write(
        'DELETE FROM webhooks WHERE tenant_id = :tenant_id AND id = :id',
        { tenant_id: tenantId, id },
        target,
      );
      return deleted.changes > 0;
    },

    async claimWebhookDelivery(id, owner, now, leaseUntil) {
      const claimed = await write(
        `UPDATE webhook_deliveries SET lease_owner = :owner, lease_expires_at = :lease_until
         WHERE id = :id AND status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at <= :now)`,
        { id, owner, now, lease_until: leaseUntil },
        { label: `webhook delivery ${id}`, details: { deliveryId: id } },
      );
      return claimed.changes === 1;
    },

    async completeWebhookAttempt(result: WebhookAttemptResult) {
      const { attempt } = result;
      const target = { label: `webhook delivery ${attempt.deliveryId}`, details: { deliveryId: attempt.deliveryId } };
      await insert('webhook_attempts', webhookAttemptParams(attempt), target);
      const updated = await write(
        `UPDATE webhook_deliveries SET status = :status, attempts = :attempts, next_attempt_at = :next_attempt_at,
           last_response_code = :last_response_code, last_error = :last_error, delivered_at = :delivered_at,
           lease_owner = NULL, lease_expires_at = NULL
         WHERE id = :id AND lease_owner = :lease_owner`,
        {
          id: attempt.deliveryId,
          lease_owner: result.leaseOwner,
          status: result.status,
          attempts: result.attempts,
          next_attempt_at: result.nextAttemptAt,
          last_response_code: attempt.responseCode,
          last_error: attempt.error,
          delivered_at: result.deliveredAt,
        },
        target,
      );
      await write(
        attempt.outcome === 'delivered'
          ? 'UPDATE webhooks SET consecutive_failures = 0, failing = 0 WHERE id = :id'
          : `UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
               failing = CASE WHEN consecutive_failures + 1 >= :failing_after THEN 1 ELSE failing END WHERE id = :id`,
        attempt.outcome === 'delivered'
          ? { id: attempt.webhookId }
          : { id: attempt.webhookId, failing_after: result.failingAfter },
        { label: `webhook ${attempt.webhookId}`, details: { webhookId: attempt.webhookId } },
      );
      return updated.changes === 1;
    },

    async redeliverWebhookDeliveries(webhookId, deliveryId, now) {
      const params = { webhook_id: webhookId, now, ...(deliveryId === null ? {} : { id: deliveryId }) };
      const which = deliveryId === null ? "status = 'failed'" : 'id = :id';
      const reset = await write(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = :now, delivered_at = NULL,
           lease_owner = NULL, lease_expires_at = NULL
         WHERE webhook_id = :webhook_id AND ${which}`,
        params,
        { label: `webhook ${webhookId}`, details: { webhookId } },
      );
      return reset.changes;
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

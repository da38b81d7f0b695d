import { randomUUID } from 'node:crypto';
import { webhookEventTypeOf } from '../../domain/webhook-event-types.ts';
import type { NewAuditEvent } from '../../domain/types.ts';
import { randomId } from '../../crypto/random-id.ts';
import { toWebhook, webhookEventParams, type WebhookRow } from '../webhook-rows.ts';
import type { SqlContext } from './create-sql-context.ts';

/**
 * The outbox: writes the lifecycle event an audit event reports, and one pending delivery per
 * enabled subscription that wants it, in the audit event's own transaction. Every transition that
 * is audited (I5) is therefore reported, and a change that rolls back reports nothing. Events no
 * subscription wants are not kept.
 */
export async function appendWebhookEvent(
  { session, insert }: SqlContext,
  audit: NewAuditEvent,
  auditEventId: number,
): Promise<void> {
  const type = webhookEventTypeOf(audit.action);
  if (type === undefined) return;
  const rows = await session.all<WebhookRow>(
    'SELECT * FROM webhooks WHERE tenant_id = :tenant_id AND enabled = 1 ORDER BY created_at, id',
    { tenant_id: audit.tenantId },
  );
  const wanting = rows
    .map(toWebhook)
    .filter(
      (webhook) =>
        (webhook.eventTypes === null || webhook.eventTypes.includes(type)) &&
        (webhook.keySetIds === null || (audit.keySetId !== null && webhook.keySetIds.includes(audit.keySetId))),
    );
  if (wanting.length === 0) return;
  const target = { label: 'webhook event', details: { tenantId: audit.tenantId } };
  const inserted = await insert<{ seq: number }>(
    'webhook_events',
    webhookEventParams({
      id: randomUUID(),
      tenantId: audit.tenantId,
      type,
      subject: audit.keySetId === null ? null : audit.kid === null ? audit.keySetId : `${audit.keySetId}/${audit.kid}`,
      keySetId: audit.keySetId,
      time: audit.at,
      data: { ...audit, auditEventId },
    }),
    target,
    ' RETURNING seq',
  );
  const seq = Number(inserted.rows[0]!.seq);
  for (const webhook of wanting) {
    await insert(
      'webhook_deliveries',
      {
        id: randomId('whd_', 20),
        webhook_id: webhook.id,
        tenant_id: audit.tenantId,
        event_seq: seq,
        status: 'pending',
        attempts: 0,
        next_attempt_at: audit.at,
        created_at: audit.at,
      },
      target,
    );
  }
}

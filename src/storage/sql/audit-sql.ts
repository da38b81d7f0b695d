import { auditEventParams, toAuditEvent, type AuditEventRow, type Params } from '../rows.ts';
import type { AuditFilter, StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';
import { toBigintBound } from './to-bigint-bound.ts';
import { appendWebhookEvent } from './append-webhook-event.ts';

/** The reads and the append of the audit log (the schema refuses every other write). */
export function auditSql(context: SqlContext) {
  const { session, insert } = context;
  const reads = {
    async listAuditEvents(filter: AuditFilter) {
      const limit = Math.floor(filter.limit);
      // SQLite reads a negative LIMIT as "no limit"; an empty page is what was asked for.
      if (!(limit > 0)) return [];
      const conditions: string[] = ['tenant_id = :tenant_id'];
      const params: Params = { tenant_id: filter.tenantId, limit };
      const add = (condition: string, name: string, value: string | number | undefined): void => {
        if (value === undefined) return;
        conditions.push(condition);
        params[name] = value;
      };
      add('key_set_id = :key_set_id', 'key_set_id', filter.keySetId);
      add('kid = :kid', 'kid', filter.kid);
      add('action = :action', 'action', filter.action);
      add('action <> :exclude_action', 'exclude_action', filter.excludeAction);
      add('at >= :since', 'since', toBigintBound(filter.since));
      add('at < :until', 'until', toBigintBound(filter.until));
      add('id < :before_id', 'before_id', toBigintBound(filter.beforeId));
      const rows = await session.all<AuditEventRow>(
        `SELECT * FROM audit_events WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT :limit`,
        params,
      );
      return rows.map(toAuditEvent);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async appendAuditEvent(event) {
      const appended = await insert<{ id: number }>(
        'audit_events',
        auditEventParams(event),
        { label: 'audit event', details: { tenantId: event.tenantId } },
        ' RETURNING id',
      );
      const id = appended.rows[0]!.id;
      // The outbox row is written here, beside the audit event, so no use case can forget it.
      await appendWebhookEvent(context, event, id);
      return id;
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

import { SignetError } from '../errors.ts';
import type { AuditEvent } from '../domain/types.ts';
import type { AuditFilter, Store } from '../storage/store.ts';

/** The store's audit filter without the tenant (given separately) and with an optional page size. */
export type ListAuditInput = Omit<AuditFilter, 'tenantId' | 'limit'> & { limit?: number };

/** A page of audit events, newest first, with the cursor of the next page. */
export interface AuditPage {
  items: AuditEvent[];
  nextBeforeId: number | null;
}

export type AuditService = ReturnType<typeof createAuditService>;

/** Reads the append-only audit log of a tenant. */
export function createAuditService({ store }: { store: Store }) {
  return {
    /** Lists audit events with filters, newest first, 100 per page by default (at most 1000). */
    async listAuditEvents(tenantId: string, input: ListAuditInput): Promise<AuditPage> {
      const limit = input.limit ?? 100;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
        throw new SignetError('ERR_VALIDATION', 'limit must be an integer from 1 to 1000', { fields: ['limit'] });
      }
      if (input.since !== undefined && input.until !== undefined && input.since > input.until) {
        throw new SignetError('ERR_VALIDATION', 'since must not be after until', { fields: ['since', 'until'] });
      }
      const filter: AuditFilter = { tenantId, limit: limit + 1 };
      for (const field of ['keySetId', 'kid', 'action', 'since', 'until', 'beforeId'] as const) {
        if (input[field] !== undefined) (filter as unknown as Record<string, unknown>)[field] = input[field];
      }
      const events = await store.read((reader) => reader.listAuditEvents(filter));
      const items = events.slice(0, limit);
      return { items, nextBeforeId: events.length > limit ? items[items.length - 1]!.id : null };
    },
  };
}

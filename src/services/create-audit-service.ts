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

/** What one credential signed with a kid, summed over every instance's `key.signatures` events. */
export interface SignerSummary {
  credentialId: string;
  count: number;
  /** Epoch ms, floored to the minute: the first and the last minute the credential signed in. */
  firstAt: number;
  lastAt: number;
}

const MINUTE_MS = 60_000;
const PAGE = 1000;

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
      for (const field of ['keySetId', 'kid', 'action', 'excludeAction', 'since', 'until', 'beforeId'] as const) {
        if (input[field] !== undefined) (filter as unknown as Record<string, unknown>)[field] = input[field];
      }
      const events = await store.read((reader) => reader.listAuditEvents(filter));
      const items = events.slice(0, limit);
      return { items, nextBeforeId: events.length > limit ? items[items.length - 1]!.id : null };
    },

    /**
     * Which credentials signed with `kid`, how many tokens and between which minutes: the sum of
     * the `key.signatures` events every instance flushed (docs/spec.md §7), most tokens first.
     */
    async listSigners(tenantId: string, kid: string, keySetId?: string): Promise<SignerSummary[]> {
      const byCredential = new Map<string, SignerSummary>();
      let beforeId: number | undefined;
      for (;;) {
        const filter: AuditFilter = { tenantId, kid, action: 'key.signatures', limit: PAGE };
        if (keySetId !== undefined) filter.keySetId = keySetId;
        if (beforeId !== undefined) filter.beforeId = beforeId;
        const events = await store.read((reader) => reader.listAuditEvents(filter));
        for (const event of events) addSummary(byCredential, event);
        if (events.length < PAGE) break;
        beforeId = events[events.length - 1]!.id;
      }
      return [...byCredential.values()].sort(
        (a, b) => b.count - a.count || a.credentialId.localeCompare(b.credentialId),
      );
    },
  };
}

function addSummary(byCredential: Map<string, SignerSummary>, event: AuditEvent): void {
  const { credentialId, count, firstAt, lastAt } = event.details as Record<string, unknown>;
  if (typeof credentialId !== 'string' || typeof count !== 'number') return;
  const first = Math.floor(Date.parse(String(firstAt)) / MINUTE_MS) * MINUTE_MS;
  const last = Math.floor(Date.parse(String(lastAt)) / MINUTE_MS) * MINUTE_MS;
  const known = byCredential.get(credentialId);
  if (!known) {
    byCredential.set(credentialId, { credentialId, count, firstAt: first, lastAt: last });
    return;
  }
  known.count += count;
  known.firstAt = Math.min(known.firstAt, first);
  known.lastAt = Math.max(known.lastAt, last);
}

import type { StoreChange } from '../store.ts';

/** The NOTIFY channel of committed changes. */
export const CHANGE_CHANNEL = 'signet_changes';

// NOTIFY refuses payloads of 8000 bytes or more; the margin leaves room for the envelope.
const MAX_PAYLOAD_BYTES = 7_900;

const ENTITIES = new Set(['tenant', 'authorizationServer', 'keySet', 'client', 'apiToken']);

/** A notification: which store instance committed (so it can ignore its own) and what changed. */
export interface ChangeNotice {
  origin: string;
  changes: StoreChange[];
}

/** The NOTIFY payload of `notice`; a change list too long for NOTIFY becomes "reload everything". */
export function encodeChangeNotice(notice: ChangeNotice): string {
  const payload = JSON.stringify(notice);
  if (Buffer.byteLength(payload) < MAX_PAYLOAD_BYTES) return payload;
  return JSON.stringify({ origin: notice.origin, changes: [{ entity: 'all' }] } satisfies ChangeNotice);
}

/** Reads a NOTIFY payload; anything malformed asks for a full reload rather than being dropped. */
export function decodeChangeNotice(payload: string | undefined): ChangeNotice {
  try {
    const value = JSON.parse(payload ?? '') as Partial<ChangeNotice>;
    if (typeof value.origin === 'string' && Array.isArray(value.changes) && value.changes.every(isStoreChange)) {
      return { origin: value.origin, changes: value.changes };
    }
  } catch {
    // Falls through to a full reload.
  }
  return { origin: '', changes: [{ entity: 'all' }] };
}

function isStoreChange(value: unknown): value is StoreChange {
  if (typeof value !== 'object' || value === null) return false;
  const change = value as Record<string, unknown>;
  if (change.entity === 'all') return true;
  return (
    typeof change.entity === 'string' &&
    ENTITIES.has(change.entity) &&
    typeof change.tenantId === 'string' &&
    typeof change.id === 'string'
  );
}

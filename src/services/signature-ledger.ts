import type { AuditSurface, RequestContext } from '../domain/types.ts';
import type { Store } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';

/** One signature made through a signing surface, as the accountability ledger counts it. */
export interface SignatureEntry {
  tenantId: string;
  keySetId: string;
  kid: string;
  credentialId: string;
  surface: string;
  at: number;
}

/**
 * Where every signature made for a caller is counted (per kid and credential), so an operator can
 * later list who signed with a compromised key. Synchronous and in memory: the signing path does
 * no I/O; the ledger flushes its counts elsewhere.
 */
export interface SignatureLedger {
  record(entry: SignatureEntry): void;
}

/** A ledger that counts nothing, the default until a real one is injected. */
export function createNullSignatureLedger(): SignatureLedger {
  return { record: () => {} };
}

/** The `details` of a `key.signatures` audit event: one kid x credential x minute of one instance. */
export interface SignatureSummary {
  kid: string;
  credentialId: string;
  count: number;
  /** RFC 3339 times of the first and last signature counted. */
  firstAt: string;
  lastAt: string;
  surface: string;
}

interface Tally {
  entry: SignatureEntry;
  minute: number;
  count: number;
  firstAt: number;
  lastAt: number;
}

/** Open counts by key set, kid, credential and surface: lookups on the strings the signer already holds. */
type OpenTallies = Map<string, Map<string, Map<string, Map<string, Tally>>>>;

const MINUTE_MS = 60_000;
const SURFACES: ReadonlySet<string> = new Set<AuditSurface>(['native', 'okta', 'auth0', 'onelogin', 'token']);

export type RealSignatureLedger = ReturnType<typeof createSignatureLedger>;

/** The map under `key`, created when missing. */
function child<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let found = map.get(key);
  if (!found) map.set(key, (found = new Map()));
  return found;
}

/**
 * The accountability ledger (docs/spec.md §7): counts signatures in memory per key set, kid,
 * credential, surface and minute, and every `flushIntervalMs` (and on `stop`) appends one
 * `key.signatures` audit event per count in one transaction. No row per token; each instance
 * flushes its own counts and readers sum them, so a crash loses at most one interval.
 */
export function createSignatureLedger(deps: {
  store: Store;
  flushIntervalMs: number;
  /** Told when a flush fails; the counts are kept for the next one. */
  onFlushError?: (error: unknown) => void;
  /** Called on each signature after it is counted (the Prometheus counters). */
  onRecorded?: (entry: SignatureEntry) => void;
}) {
  let open: OpenTallies = new Map();
  // Counts of a minute that has passed, and counts a failed flush gave back.
  let closed: Tally[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  /** Takes every count so far, leaving the ledger empty. */
  function take(): Tally[] {
    const batch = closed;
    for (const kids of open.values())
      for (const credentials of kids.values())
        for (const surfaces of credentials.values()) batch.push(...surfaces.values());
    open = new Map();
    closed = [];
    return batch;
  }

  async function write(batch: Tally[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await deps.store.transaction(async (tx) => {
        for (const tally of batch) await tx.appendAuditEvent(summaryEvent(tally));
      });
    } catch (error) {
      // Nothing was committed: the counts go back so the next flush writes them.
      closed.push(...batch);
      throw error;
    }
  }

  /** Writes what is counted so far; flushes run one after another, never two at once. */
  function flush(): Promise<void> {
    const run = flushing.then(() => write(take()));
    flushing = run.catch(() => undefined);
    return run;
  }

  return {
    record(entry: SignatureEntry): void {
      const minute = Math.floor(entry.at / MINUTE_MS);
      const surfaces = child(child(child(open, entry.keySetId), entry.kid), entry.credentialId);
      const tally = surfaces.get(entry.surface);
      if (tally?.minute === minute) {
        tally.count += 1;
        if (entry.at < tally.firstAt) tally.firstAt = entry.at;
        if (entry.at > tally.lastAt) tally.lastAt = entry.at;
      } else {
        // A new minute (or a clock step back): the previous count is complete.
        if (tally) closed.push(tally);
        surfaces.set(entry.surface, { entry, minute, count: 1, firstAt: entry.at, lastAt: entry.at });
      }
      deps.onRecorded?.(entry);
    },
    flush,
    /** Starts flushing every `flushIntervalMs` (the timer does not keep the process alive). */
    start(): void {
      if (timer) return;
      timer = setInterval(() => flush().catch((error) => deps.onFlushError?.(error)), deps.flushIntervalMs);
      timer.unref();
    },
    /** Stops the timer and writes the last counts (graceful shutdown, after the last request). */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },
  };
}

function summaryEvent(tally: Tally) {
  const { entry } = tally;
  const context: RequestContext = {
    actor: { type: 'system', id: 'signature-ledger', tenantId: entry.tenantId },
    requestId: null,
    sourceIp: null,
    surface: (SURFACES.has(entry.surface) ? entry.surface : 'native') as AuditSurface,
  };
  const details: Omit<SignatureSummary, 'surface'> = {
    kid: entry.kid,
    credentialId: entry.credentialId,
    count: tally.count,
    firstAt: new Date(tally.firstAt).toISOString(),
    lastAt: new Date(tally.lastAt).toISOString(),
  };
  return auditEvent(context, entry.tenantId, tally.lastAt, 'key.signatures', 'countSignatures', {
    keySetId: entry.keySetId,
    kid: entry.kid,
    details: { ...details },
  });
}

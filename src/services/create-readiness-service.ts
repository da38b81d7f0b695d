import { randomUUID } from 'node:crypto';
import { DEFAULT_SERVER_OPTIONS } from '../config/defaults.ts';
import { evaluateReadinessGate, type ReadinessGate } from '../domain/evaluate-readiness-gate.ts';
import { summarizeReadiness, type Readiness } from '../domain/summarize-readiness.ts';
import { MAX_READINESS_WINDOW_SECONDS } from '../domain/validate-policy.ts';
import type { KeySet } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { createReadinessRecorder, type ReadinessRecorder } from '../runtime/create-readiness-recorder.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Store } from '../storage/store.ts';

export interface ReadinessServiceDeps {
  store: Store;
  registry: Registry;
  now: () => number;
  /** This instance's recorder (the JWKS rule of request-rules.ts feeds it); a fresh one when absent. */
  recorder?: ReadinessRecorder;
  /** Names this instance's rows in the database; random per process unless given. */
  instanceId?: string;
}

/**
 * The most sightings written in one transaction of a flush (about 2 ms of SQLite work): a flush of
 * more yields to the event loop between batches. Each sighting stands alone, so a flush cut short
 * leaves whole rows, and the consumer's next fetch marks it changed again.
 */
export const FLUSH_BATCH = 500;

export type ReadinessService = ReturnType<typeof createReadinessService>;

/** The readiness gate as a native rotate without `force` would find it now (`lagging`: it would be refused). */
export interface ReadinessGateState {
  open: boolean;
  reason: 'disabled' | 'ready' | 'maxWait' | 'lagging';
  /** The policy's `readinessGatePercent` (0: no gate). */
  requiredPercent: number;
}

/** A key set's readiness with the state of its gate, as the API, CLI and dashboard show it. */
export type ReadinessReport = Readiness & { gate: ReadinessGateState };

/**
 * Verifier readiness (docs/spec.md §7, rollout safety): writes this instance's sightings to the database (at an
 * interval, and before every answer) and answers from every instance's rows, so each instance
 * reports the same readiness; the readiness gate reads it for the native API and the scheduler.
 */
export function createReadinessService(deps: ReadinessServiceDeps) {
  const { store, registry, now } = deps;
  const recorder =
    deps.recorder ??
    createReadinessRecorder({
      maxConsumersPerKeySet: DEFAULT_SERVER_OPTIONS.readinessMaxConsumers,
      trustProxy: DEFAULT_SERVER_OPTIONS.trustProxy,
    });
  const instanceId = deps.instanceId ?? randomUUID();
  let flushing: Promise<void> = Promise.resolve();
  /** The readiness last read per key set, for the metrics (a scrape reads no database). */
  const lastRead = new Map<string, { tenantId: string; readiness: Readiness }>();

  async function writeChanged(): Promise<void> {
    const changed = recorder.takeChanged();
    if (changed.length === 0) return;
    // SQLite writes on the event loop: thousands of key sets' sightings in one transaction would hold
    // every request for tens of milliseconds, so they go in batches with the loop served in between.
    for (let start = 0; start < changed.length; start += FLUSH_BATCH) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const batch = changed.slice(start, start + FLUSH_BATCH);
      await store.transaction((tx) => tx.putConsumerSightings(instanceId, batch));
    }
    const at = now();
    await store.transaction((tx) => tx.pruneConsumerSightings(at - MAX_READINESS_WINDOW_SECONDS * 1000));
  }

  async function readinessOfKeySet(keySet: KeySet): Promise<Readiness> {
    await service.flush();
    const at = now();
    const windowSeconds = keySet.policy.readinessWindowSeconds;
    const keys =
      registry.getKeySetView(keySet.id)?.keys ?? (await store.read((reader) => reader.listKeys(keySet.id, ['next'])));
    const next = keys.find((key) => key.state === 'next');
    const sightings = await store.read((reader) => reader.listConsumerSightings(keySet.id, at - windowSeconds * 1000));
    const readiness = summarizeReadiness({
      keySetId: keySet.id,
      sightings,
      next: next ? { kid: next.kid, publishedAt: next.publishedAt } : null,
      windowSeconds,
      now: at,
    });
    lastRead.set(keySet.id, { tenantId: keySet.tenantId, readiness });
    return readiness;
  }

  const service = {
    recorder,
    instanceId,

    /** The readiness last read of each key set (by the API, CLI, dashboard or the gate). */
    lastRead: () => lastRead.values(),

    /**
     * Writes the sightings changed since the last flush, one flush at a time. A failed write drops
     * them: the consumer's next fetch marks it changed again, and readiness only needs the latest.
     */
    flush(): Promise<void> {
      flushing = flushing.then(writeChanged, writeChanged);
      return flushing;
    },

    /** The readiness of a key set of `tenantId`, with its gate as a native rotate would find it now. */
    async get(tenantId: string, keySetId: string): Promise<ReadinessReport> {
      const keySet =
        registry.getKeySetView(keySetId)?.keySet ?? (await store.read((reader) => reader.getKeySet(keySetId)));
      if (!keySet || keySet.tenantId !== tenantId)
        throw new SignetError('ERR_KEY_SET_NOT_FOUND', `key set ${keySetId} not found`, { keySetId });
      const readiness = await readinessOfKeySet(keySet);
      const at = now();
      // The rule assertGateOpen applies, on the same read: the page and the refusal cannot disagree.
      const gate = evaluateReadinessGate({ policy: keySet.policy, readiness, dueAt: at, now: at });
      return {
        ...readiness,
        gate: {
          open: gate.open,
          reason: gate.open ? gate.reason : 'lagging',
          requiredPercent: keySet.policy.readinessGatePercent,
        },
      };
    },

    /** The readiness gate of `keySet` for a rotation due at `dueAt`; reads nothing when the policy sets no gate. */
    async gate(keySet: KeySet, dueAt: number): Promise<ReadinessGate> {
      const at = now();
      if (keySet.policy.readinessGatePercent === 0)
        return evaluateReadinessGate({ policy: keySet.policy, readiness: emptyReadiness(keySet), dueAt, now: at });
      return evaluateReadinessGate({
        policy: keySet.policy,
        readiness: await readinessOfKeySet(keySet),
        dueAt,
        now: at,
      });
    },

    /** Refuses (ERR_READINESS_GATE_CLOSED, lagging consumers in details) while the gate of `keySet` is closed. */
    async assertGateOpen(keySet: KeySet): Promise<void> {
      const gate = await service.gate(keySet, now());
      if (gate.open) return;
      throw new SignetError(
        'ERR_READINESS_GATE_CLOSED',
        `only ${gate.readyCount} of ${gate.consumerCount} consumers hold the next key (the policy asks for ${gate.requiredPercent}%); rotate with force to go ahead`,
        {
          keySetId: keySet.id,
          readyCount: gate.readyCount,
          consumerCount: gate.consumerCount,
          requiredPercent: gate.requiredPercent,
          lagging: gate.lagging.map((consumer) => ({
            name: consumer.name,
            address: consumer.address,
            userAgent: consumer.userAgent,
            lastFetchAt: new Date(consumer.lastFetchAt).toISOString(),
          })),
        },
      );
    },
  };
  return service;
}

function emptyReadiness(keySet: KeySet): Readiness {
  return {
    keySetId: keySet.id,
    nextKid: null,
    nextPublishedAt: null,
    windowSeconds: keySet.policy.readinessWindowSeconds,
    consumerCount: 0,
    readyCount: 0,
    consumers: [],
  };
}

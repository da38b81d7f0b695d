/** The key that stands for "everything": a queued full reload absorbs every entity refresh queued before it. */
export const ALL_KEY = '*';

/** Runs registry refreshes one at a time, merging requests for an entity whose refresh has not started yet. */
export interface RefreshLane {
  /**
   * Runs `job` after every job queued before it and resolves when a run of `key` that started after
   * this call has finished. A request for a key already waiting joins that wait (its job is the same).
   */
  run(key: string, job: () => Promise<void>): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface Pending {
  key: string;
  job: () => Promise<void>;
  waiters: Waiter[];
}

/**
 * Creates the lane. Refreshes read the database and then replace in-memory entries; run
 * concurrently, an older read could land after a newer one and serve a stale key set. One at a
 * time, each refresh reads a state at least as new as the one before it, and a burst of
 * notifications for one key set (a rotation storm) costs one or two reads, not one per change.
 */
export function createRefreshLane(): RefreshLane {
  const queue: Pending[] = [];
  const waiting = new Map<string, Pending>();
  let draining = false;

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      for (let pending = queue.shift(); pending; pending = queue.shift()) {
        waiting.delete(pending.key);
        try {
          await pending.job();
          for (const waiter of pending.waiters) waiter.resolve();
        } catch (error) {
          for (const waiter of pending.waiters) waiter.reject(error);
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    run(key, job) {
      return new Promise<void>((resolve, reject) => {
        let pending = waiting.get(ALL_KEY) ?? waiting.get(key);
        if (!pending) {
          pending = { key, job, waiters: [] };
          if (key === ALL_KEY) {
            // A full reload that has not started yet covers every refresh queued before it.
            for (const absorbed of queue) pending.waiters.push(...absorbed.waiters);
            queue.length = 0;
            waiting.clear();
          }
          queue.push(pending);
          waiting.set(key, pending);
        }
        pending.waiters.push({ resolve, reject });
        void drain();
      });
    },
  };
}

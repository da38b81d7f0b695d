/** Runs async tasks one at a time, in the order they were queued. */
export interface SerialQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far has settled (whether it resolved or threw). */
  settled(): Promise<void>;
}

/**
 * Creates a FIFO queue. The SQLite adapter has one connection, and a transaction whose callback
 * awaits must not let another transaction's statements onto that connection meanwhile; the
 * PostgreSQL adapter runs its write transactions through one so a process holds one write
 * connection at a time and reads can wait for the writes started before them.
 */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task);
      // The next task waits for this one to settle, whether it resolved or threw.
      tail = result.catch(() => undefined);
      return result;
    },
    settled() {
      return tail.then(() => undefined);
    },
  };
}

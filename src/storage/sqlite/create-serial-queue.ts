/** Runs async tasks one at a time, in the order they were queued. */
export interface SerialQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * Creates a FIFO queue. The SQLite adapter has one connection, and a transaction whose callback
 * awaits must not let another transaction's statements onto that connection meanwhile.
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
  };
}

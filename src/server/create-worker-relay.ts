import type { ChangeRelay } from '../storage/change-relay.ts';
import type { StoreChange } from '../storage/store.ts';

/** The IPC message that carries committed changes between cluster workers. */
export const RELAY_MESSAGE = 'signet:changes';

interface RelayMessage {
  type: typeof RELAY_MESSAGE;
  changes: StoreChange[];
}

/** True when an IPC message is a relayed change list. */
export function isRelayMessage(message: unknown): message is RelayMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === RELAY_MESSAGE &&
    Array.isArray((message as { changes?: unknown }).changes)
  );
}

/**
 * The worker's side of the change relay: sends this worker's committed changes to the cluster
 * primary, which forwards them to every other worker, and hands the others' changes to the store.
 */
export function createWorkerRelay(): ChangeRelay {
  return {
    publish(changes) {
      // The primary may be gone during shutdown; the reconcile covers a dropped message.
      if (process.connected)
        process.send?.(
          { type: RELAY_MESSAGE, changes: [...changes] } satisfies RelayMessage,
          undefined,
          undefined,
          () => undefined,
        );
    },
    subscribe(listener) {
      const onMessage = (message: unknown) => {
        if (isRelayMessage(message)) listener(message.changes);
      };
      process.on('message', onMessage);
      return () => process.off('message', onMessage);
    },
  };
}

import type { Logger } from 'pino';
import type { Store, StoreChange } from '../storage/store.ts';
import type { Registry } from './create-registry.ts';
import { reconcileRegistry } from './reconcile-registry.ts';

export interface StoreFollower {
  /** Runs one reconcile pass now (tests, and after the database comes back). */
  reconcile(): Promise<void>;
  /** Unsubscribes and stops the reconcile timer; waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * Keeps this instance's registry in step with changes committed by any instance: applies the
 * store's change feed as it arrives, and every `reconcileIntervalMs` compares the registry with the
 * database to catch what a lost notification or a failed refresh missed.
 */
export function followStoreChanges(deps: {
  store: Store;
  registry: Registry;
  reconcileIntervalMs: number;
  logger?: Logger;
}): StoreFollower {
  const { store, registry, logger } = deps;
  let running: Promise<void> | null = null;
  // Changes whose refresh failed (the database went away between the notice and the read).
  let failed: StoreChange[] = [];

  function apply(changes: readonly StoreChange[]): void {
    registry.applyChanges(changes).catch((error: unknown) => {
      failed.push(...changes);
      logger?.warn(
        { err: error, changes: changes.length },
        'could not refresh after a change notification; the next reconcile retries',
      );
    });
  }

  const unsubscribe = store.subscribe?.(apply);

  async function reconcile(): Promise<void> {
    running ??= (async () => {
      try {
        const retry = failed;
        failed = [];
        if (retry.length > 0) {
          try {
            await registry.applyChanges(retry);
          } catch (error) {
            failed.push(...retry);
            throw error;
          }
        }
        const found = await reconcileRegistry(store, registry);
        const total = found.tenants + found.authorizationServers + found.keySets + found.clients + found.apiTokens;
        if (total > 0) logger?.info({ ...found }, 'reconcile refreshed entries the change feed had not delivered');
      } catch (error) {
        logger?.warn({ err: error }, 'reconcile failed; serving from memory until the database answers');
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const timer = setInterval(() => void reconcile(), deps.reconcileIntervalMs);
  timer.unref();

  return {
    reconcile,
    async stop() {
      clearInterval(timer);
      unsubscribe?.();
      await running;
    },
  };
}

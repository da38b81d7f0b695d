import type { StoreChange } from './store.ts';

/**
 * Carries committed changes between processes that share a database without a notification
 * channel of their own (SQLite workers of one `signet serve --workers N`, through the cluster
 * primary). `publish` sends this process's changes; `subscribe` receives the other processes'.
 */
export interface ChangeRelay {
  publish(changes: readonly StoreChange[]): void;
  subscribe(listener: (changes: readonly StoreChange[]) => void): () => void;
}

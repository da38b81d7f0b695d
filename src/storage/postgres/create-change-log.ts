import type { StoreChange } from '../store.ts';

/** What one transaction touched, each entity once, in the order first touched. */
export interface ChangeLog {
  record(change: StoreChange): void;
  changes(): StoreChange[];
}

/** Creates the empty change log of a transaction. */
export function createChangeLog(): ChangeLog {
  const byIdentity = new Map<string, StoreChange>();
  return {
    record(change) {
      const identity = change.entity === 'all' ? 'all' : `${change.entity}\u0000${change.tenantId}\u0000${change.id}`;
      if (!byIdentity.has(identity)) byIdentity.set(identity, change);
    },
    changes() {
      return [...byIdentity.values()];
    },
  };
}

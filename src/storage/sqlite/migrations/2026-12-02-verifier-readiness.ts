/**
 * Verifier readiness (docs/spec.md §7, rollout safety): the policy's readiness window and gate, one column per
 * field like the rest of the policy (existing key sets get the defaults: a 7-day window, no gate),
 * and the JWKS consumers each instance saw, written by that instance at an interval (never per
 * request) so every instance reads the same readiness. Rows are keyed by the writing instance:
 * instances never overwrite each other's counts; readers aggregate.
 */
export const id = '2026-12-02-verifier-readiness';

export const sql = `
ALTER TABLE key_sets ADD COLUMN readiness_window_seconds INTEGER NOT NULL DEFAULT 604800;
ALTER TABLE key_sets ADD COLUMN readiness_gate_percent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE key_sets ADD COLUMN readiness_gate_max_wait_seconds INTEGER NOT NULL DEFAULT 604800;

CREATE TABLE jwks_consumers (
  instance_id TEXT NOT NULL,
  key_set_id TEXT NOT NULL,
  consumer_key TEXT NOT NULL,
  name TEXT,
  address TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_fetch_at INTEGER NOT NULL,
  fetch_count INTEGER NOT NULL,
  next_kid_seen TEXT,
  PRIMARY KEY (instance_id, key_set_id, consumer_key)
);
CREATE INDEX jwks_consumers_key_set ON jwks_consumers (key_set_id, last_fetch_at);
`;

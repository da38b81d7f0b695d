/**
 * Verifier readiness: the PostgreSQL transcription of SQLite's migration of the same id (policy
 * columns with their defaults, and the per-instance table of JWKS consumers).
 */
export const id = '2026-12-02-verifier-readiness';

export const sql = `
ALTER TABLE key_sets ADD COLUMN readiness_window_seconds INTEGER NOT NULL DEFAULT 604800;
ALTER TABLE key_sets ADD COLUMN readiness_gate_percent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE key_sets ADD COLUMN readiness_gate_max_wait_seconds INTEGER NOT NULL DEFAULT 604800;

CREATE TABLE jwks_consumers (
  instance_id TEXT COLLATE "C" NOT NULL,
  key_set_id TEXT COLLATE "C" NOT NULL,
  consumer_key TEXT COLLATE "C" NOT NULL,
  name TEXT,
  address TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  first_seen_at BIGINT NOT NULL,
  last_fetch_at BIGINT NOT NULL,
  fetch_count BIGINT NOT NULL,
  next_kid_seen TEXT,
  PRIMARY KEY (instance_id, key_set_id, consumer_key)
);
CREATE INDEX jwks_consumers_key_set ON jwks_consumers (key_set_id, last_fetch_at);
`;

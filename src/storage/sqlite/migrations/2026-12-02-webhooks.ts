/**
 * Webhook subscriptions, the event outbox and its deliveries (docs/events.md). An event row is
 * written in the transaction of the change it reports, with one delivery row per matching
 * subscription, so a rolled-back change leaves no event and a committed one always has its
 * deliveries. `seq` is commit order. Secrets are stored sealed only (the sealer's envelope).
 */
export const id = '2026-12-02-webhooks';

export const sql = `
CREATE TABLE webhooks (
  id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  url TEXT NOT NULL,
  event_types TEXT CHECK (event_types IS NULL OR json_valid(event_types)),
  key_set_ids TEXT CHECK (key_set_ids IS NULL OR json_valid(key_set_ids)),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  sealed_secret TEXT NOT NULL CHECK (sealed_secret LIKE 'sgk1.%'),
  previous_sealed_secret TEXT CHECK (previous_sealed_secret IS NULL OR previous_sealed_secret LIKE 'sgk1.%'),
  previous_secret_expires_at INTEGER,
  failing INTEGER NOT NULL CHECK (failing IN (0, 1)),
  consecutive_failures INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, created_at, id);

CREATE TABLE webhook_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  type TEXT NOT NULL,
  subject TEXT,
  key_set_id TEXT,
  time INTEGER NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE TABLE webhook_deliveries (
  id TEXT NOT NULL PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  event_seq INTEGER NOT NULL REFERENCES webhook_events (seq),
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  last_response_code INTEGER,
  last_error TEXT,
  delivered_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (webhook_id, event_seq)
) STRICT;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (status, webhook_id, event_seq);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, event_seq);

CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  webhook_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed')),
  response_code INTEGER,
  latency_ms INTEGER NOT NULL,
  error TEXT
) STRICT;
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
`;

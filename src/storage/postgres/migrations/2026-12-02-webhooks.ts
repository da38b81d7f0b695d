/**
 * Webhook subscriptions, the event outbox and its deliveries: the SQLite migration of the same id,
 * transcribed. JSON columns stay TEXT so both engines read back the same strings.
 */
export const id = '2026-12-02-webhooks';

export const sql = `
CREATE TABLE webhooks (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants (id),
  url TEXT NOT NULL,
  event_types TEXT CHECK (event_types IS NULL OR event_types::jsonb IS NOT NULL),
  key_set_ids TEXT CHECK (key_set_ids IS NULL OR key_set_ids::jsonb IS NOT NULL),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  sealed_secret TEXT NOT NULL CHECK (sealed_secret LIKE 'sgk1.%'),
  previous_sealed_secret TEXT CHECK (previous_sealed_secret IS NULL OR previous_sealed_secret LIKE 'sgk1.%'),
  previous_secret_expires_at BIGINT,
  failing INTEGER NOT NULL CHECK (failing IN (0, 1)),
  consecutive_failures INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, created_at, id);

CREATE TABLE webhook_events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  tenant_id TEXT COLLATE "C" NOT NULL,
  type TEXT NOT NULL,
  subject TEXT,
  key_set_id TEXT COLLATE "C",
  time BIGINT NOT NULL,
  data TEXT NOT NULL CHECK (data::jsonb IS NOT NULL)
);

CREATE TABLE webhook_deliveries (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  webhook_id TEXT COLLATE "C" NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  tenant_id TEXT COLLATE "C" NOT NULL,
  event_seq BIGINT NOT NULL REFERENCES webhook_events (seq),
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  last_response_code INTEGER,
  last_error TEXT,
  delivered_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (webhook_id, event_seq)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (status, webhook_id, event_seq);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, event_seq);

CREATE TABLE webhook_attempts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id TEXT COLLATE "C" NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  webhook_id TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed')),
  response_code INTEGER,
  latency_ms INTEGER NOT NULL,
  error TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
`;

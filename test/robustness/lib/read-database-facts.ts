import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { KeyState } from '../../../src/domain/types.ts';

/** The rows the invariants are about, read straight from the database the server writes. */
export interface DatabaseFacts {
  keys: { keySetId: string; kid: string; state: KeyState; sealedPrivateKey: string }[];
  /** Authorization servers with their signing key set (their JWKS must equal its published keys). */
  servers: { tenantId: string; id: string; signingKeySetId: string | null }[];
  /** Audit events about keys, in append order. */
  keyEvents: { keySetId: string; kid: string; fromState: string | null; toState: string | null; action: string }[];
}

const KEYS = 'SELECT key_set_id, kid, state, sealed_private_key FROM keys';
const SERVERS = 'SELECT tenant_id, id, signing_key_set_id FROM authorization_servers';
const KEY_EVENTS = `SELECT key_set_id, kid, from_state, to_state, action FROM audit_events
  WHERE kid IS NOT NULL AND key_set_id IS NOT NULL ORDER BY id`;

interface Rows {
  keys: Record<string, unknown>[];
  servers: Record<string, unknown>[];
  keyEvents: Record<string, unknown>[];
}

/**
 * Reads the facts from the SQLite file at `sqlitePath` (read-only, beside the running server) or
 * from PostgreSQL at `databaseUrl`, in one snapshot.
 */
export async function readDatabaseFacts(source: {
  sqlitePath: string | null;
  databaseUrl: string | null;
}): Promise<DatabaseFacts> {
  let rows: Rows;
  if (source.sqlitePath) {
    const db = new DatabaseSync(source.sqlitePath, { readOnly: true });
    try {
      db.exec('BEGIN');
      rows = {
        keys: db.prepare(KEYS).all(),
        servers: db.prepare(SERVERS).all(),
        keyEvents: db.prepare(KEY_EVENTS).all(),
      };
      db.exec('COMMIT');
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: source.databaseUrl! });
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      rows = {
        keys: (await client.query(KEYS)).rows,
        servers: (await client.query(SERVERS)).rows,
        keyEvents: (await client.query(KEY_EVENTS)).rows,
      };
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  }
  return {
    keys: rows.keys.map((row) => ({
      keySetId: String(row.key_set_id),
      kid: String(row.kid),
      state: row.state as KeyState,
      sealedPrivateKey: String(row.sealed_private_key),
    })),
    servers: rows.servers.map((row) => ({
      tenantId: String(row.tenant_id),
      id: String(row.id),
      signingKeySetId: row.signing_key_set_id === null ? null : String(row.signing_key_set_id),
    })),
    keyEvents: rows.keyEvents.map((row) => ({
      keySetId: String(row.key_set_id),
      kid: String(row.kid),
      fromState: row.from_state === null ? null : String(row.from_state),
      toState: row.to_state === null ? null : String(row.to_state),
      action: String(row.action),
    })),
  };
}

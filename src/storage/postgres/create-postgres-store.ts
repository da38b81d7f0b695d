import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createSerialQueue, type SerialQueue } from '../create-serial-queue.ts';
import { recordChanges } from '../record-changes.ts';
import { createSqlReader } from '../sql/create-sql-reader.ts';
import { createSqlTx } from '../sql/create-sql-tx.ts';
import type { SqlSession } from '../sql/sql-session.ts';
import { INSTANCE_APPLICATION_NAME, type Store, type StoreChange, type StoreReader, type StoreTx } from '../store.ts';
import { ADVISORY_LOCK_NAMESPACE, WRITE_LOCK } from './advisory-locks.ts';
import { CHANGE_CHANNEL, encodeChangeNotice } from './change-notice.ts';
import { createChangeListener, type ChangeListener } from './create-change-listener.ts';
import { createPostgresPool } from './create-postgres-pool.ts';
import { isSignetError } from '../../errors.ts';
import { createPostgresSession } from './create-postgres-session.ts';
import { isConnectionFailure, isTimeout, mapPostgresError } from './map-postgres-error.ts';
import { migratePostgres } from './migrate-postgres.ts';
import { postgresMigrations } from './migrations.ts';
import { postgresDialect } from './postgres-dialect.ts';
import { runExclusively } from './run-exclusively.ts';

export interface PostgresStoreOptions {
  /** A `postgres://` connection URL (libpq parameters such as `sslmode` included). */
  url: string;
  /** The most connections the store opens for transactions and reads (LISTEN uses one more). */
  poolSize?: number;
  /** How long to wait for a connection before answering ERR_UNAVAILABLE. */
  connectTimeoutMs?: number;
  /** The longest a pooled statement runs before the server cancels it (ERR_UNAVAILABLE). */
  statementTimeoutMs?: number;
  /** The longest a pooled statement waits for a lock before the server gives up (ERR_UNAVAILABLE). */
  lockTimeoutMs?: number;
  /** Told about errors no caller awaits: a dropped idle connection, a lost LISTEN, a listener that threw. */
  onError?: (error: unknown) => void;
  /** Backoff of the LISTEN connection's reconnects. */
  reconnectDelayMs?: { min: number; max: number };
}

/**
 * Opens the PostgreSQL implementation of the storage port on a connection pool, one connection per
 * transaction. Write transactions keep SQLite's contract on a database many instances share: they
 * run one at a time in this process (FIFO) and, through an advisory transaction lock, one at a time
 * across every instance; a read waits for the writes this process started before it, then sees one
 * snapshot (REPEATABLE READ). Each committed change is sent with NOTIFY inside its transaction and
 * delivered to this process's listeners right after COMMIT.
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const onError = options.onError ?? (() => undefined);
  const clientConfig: pg.ClientConfig = {
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // Notices a silently dropped connection (a failed-over server, a NAT timeout) in minutes, not hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'signet',
  };
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  // Only the pool's connections get the timeouts: the named-lock connection waits on purpose for as
  // long as another instance holds the lock, and LISTEN runs no statement that could hang a request.
  const pool = createPostgresPool(
    {
      ...clientConfig,
      statement_timeout: statementTimeoutMs,
      lock_timeout: options.lockTimeoutMs ?? 5_000,
      // A server that hangs (stopped, swapping, a frozen disk) cancels nothing: the client gives up a
      // little after the server would have, and the connection is discarded.
      query_timeout: statementTimeoutMs + 2_000,
    },
    options.poolSize ?? 10,
    onError,
  );

  const writes = createSerialQueue();
  const namedLocks = new Map<string, SerialQueue>();
  const reads = new Set<Promise<unknown>>();
  // Marks the async context of a running callback, so a nested call is refused as on SQLite.
  const running = new AsyncLocalStorage<{ open: boolean }>();
  const origin = randomUUID();
  const listeners = new Set<(changes: readonly StoreChange[]) => void>();
  let changeListener: ChangeListener | undefined;
  let closed = false;

  function assertUsable(): void {
    if (running.getStore()?.open) throw new Error('nested store transaction');
    if (closed) throw new Error('store is closed');
  }

  function deliver(changes: readonly StoreChange[]): void {
    for (const listener of [...listeners]) {
      try {
        listener(changes);
      } catch (error) {
        // A committed transaction stays committed whatever a listener does.
        onError(error);
      }
    }
  }

  /** Runs `body` in one transaction begun by `begin`; the changes it returns are announced with its commit. */
  async function runSession<T>(
    begin: string,
    body: (session: SqlSession) => Promise<{ value: T; changes: StoreChange[] }>,
  ): Promise<T> {
    const client = await pool.checkout(begin);
    const scope = { open: true };
    let broken = false;
    try {
      const { value, changes } = await running.run(scope, () => body(createPostgresSession(client, () => scope.open)));
      scope.open = false;
      try {
        if (changes.length > 0)
          await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, encodeChangeNotice({ origin, changes })]);
        const committed = await client.query('COMMIT');
        // PostgreSQL answers COMMIT of a transaction a failed statement aborted with ROLLBACK.
        if (committed.command === 'ROLLBACK')
          throw new Error('the database rolled the transaction back after a failed statement');
      } catch (error) {
        broken = isConnectionFailure(error) || isTimeout(error);
        throw mapPostgresError(error);
      }
      if (changes.length > 0) deliver(changes);
      return value;
    } catch (error) {
      // A statement that failed as unavailable (connection lost or timed out) leaves a connection
      // whose state is unknown, and a ROLLBACK on a hung server would wait a timeout more.
      if (isSignetError(error, 'ERR_UNAVAILABLE')) broken = true;
      if (!broken) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
      }
      throw error;
    } finally {
      scope.open = false;
      pool.release(client, broken);
    }
  }

  return {
    dialect: 'postgres',

    async migrate() {
      assertUsable();
      await writes.run(async () => {
        const client = await pool.checkout('SELECT 1');
        let broken = false;
        try {
          await migratePostgres(client, postgresMigrations);
        } catch (error) {
          broken = isConnectionFailure(error) || isTimeout(error);
          throw mapPostgresError(error);
        } finally {
          pool.release(client, broken);
        }
      });
    },

    async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
      assertUsable();
      return writes.run(() =>
        runSession(
          `BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, ${WRITE_LOCK})`,
          async (session) => {
            const recorded = recordChanges(createSqlTx(session, postgresDialect));
            const value = await fn(recorded.tx);
            return { value, changes: await recorded.changes() };
          },
        ),
      );
    },

    async read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T> {
      assertUsable();
      const reading = (async () => {
        // Waiting for the writes already queued gives a read what SQLite's single queue gives it:
        // it sees every transaction this process started before it.
        await writes.settled();
        return runSession('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (session) => ({
          value: await fn(createSqlReader(session, postgresDialect)),
          changes: [],
        }));
      })();
      reads.add(reading);
      try {
        return await reading;
      } finally {
        reads.delete(reading);
      }
    },

    async exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
      assertUsable();
      // In call order within this process (as on SQLite), then across instances.
      let queue = namedLocks.get(name);
      if (!queue) {
        queue = createSerialQueue();
        namedLocks.set(name, queue);
      }
      return queue.run(() => runExclusively(clientConfig, name, fn, onError));
    },

    async countInstances() {
      assertUsable();
      const client = await pool.checkout('SELECT 1');
      let broken = false;
      try {
        const result = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
          [INSTANCE_APPLICATION_NAME],
        );
        return Math.max(1, result.rows[0]?.n ?? 1);
      } catch (error) {
        broken = isConnectionFailure(error);
        throw mapPostgresError(error);
      } finally {
        pool.release(client, broken);
      }
    },

    subscribe(listener) {
      if (closed) throw new Error('store is closed');
      listeners.add(listener);
      changeListener ??= createChangeListener({
        // Named so that countInstances sees one connection per process.
        clientConfig: { ...clientConfig, application_name: INSTANCE_APPLICATION_NAME },
        origin,
        deliver,
        onError,
        ...(options.reconnectDelayMs ? { reconnectDelayMs: options.reconnectDelayMs } : {}),
      });
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && changeListener) {
          void changeListener.stop();
          changeListener = undefined;
        }
      };
    },

    async close() {
      if (running.getStore()?.open) throw new Error('nested store transaction');
      if (closed) return;
      closed = true;
      listeners.clear();
      await changeListener?.stop();
      changeListener = undefined;
      // Transactions and reads started before close still run; later calls are refused by assertUsable.
      await writes.settled();
      await Promise.allSettled([...reads]);
      await pool.end();
    },
  };
}

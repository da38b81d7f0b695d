import { AsyncLocalStorage } from 'node:async_hooks';
import { DatabaseSync } from 'node:sqlite';
import type { ChangeRelay } from '../change-relay.ts';
import { createSerialQueue, type SerialQueue } from '../create-serial-queue.ts';
import { recordChanges } from '../record-changes.ts';
import type { Store, StoreChange, StoreReader, StoreTx } from '../store.ts';
import { createSqliteSession } from './create-sqlite-session.ts';
import { createStatementCache } from './create-statement-cache.ts';
import { migrateSqlite } from './migrate-sqlite.ts';
import { sqliteMigrations } from './migrations.ts';
import { SignetError } from '../../errors.ts';
import { createSqlReader } from '../sql/create-sql-reader.ts';
import { createSqlTx } from '../sql/create-sql-tx.ts';
import type { SqlSession } from '../sql/sql-session.ts';
import { sqliteDialect } from './sqlite-dialect.ts';

// SQLITE_BUSY: another process (a --workers sibling) held the write lock past busy_timeout.
const SQLITE_BUSY = 5;

/** A write lock that stayed taken is a temporary condition: 503, retry, never a 500. */
function mapBusyError(error: unknown): unknown {
  if ((((error as { errcode?: number }).errcode ?? 0) & 0xff) !== SQLITE_BUSY) return error;
  return new SignetError('ERR_UNAVAILABLE', 'the database is busy with another write; retry shortly');
}

export interface SqliteStoreOptions {
  /** A database file path (its directory must exist) or `:memory:`. */
  path: string;
  /** Carries committed changes to and from other processes on the same file (cluster workers). */
  relay?: ChangeRelay;
}

/**
 * Opens the SQLite implementation of the storage port on one connection. node:sqlite is
 * synchronous while the port's callbacks are async, so every `transaction`, `read` and `migrate`
 * runs alone, in call order, through a FIFO queue: two awaiting transactions would otherwise
 * interleave their statements on the connection.
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const db = new DatabaseSync(options.path, { enableForeignKeyConstraints: true });
  // WAL lets other processes (a backup, an inspection) read while Signet writes. FULL syncs every
  // commit: a rotation acknowledged, then lost to a power cut, would leave tokens signed by a key
  // the database no longer has (I4). Writes are rare management operations, so the cost is small.
  if (options.path !== ':memory:' && options.path !== '') db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA synchronous = FULL');

  const prepare = createStatementCache(db);
  const queue = createSerialQueue();
  const locks = new Map<string, SerialQueue>();
  // Marks the async context of a running callback, so a nested call (which would wait forever
  // behind its own caller in the queue) is told apart from an unrelated concurrent one.
  const running = new AsyncLocalStorage<{ open: boolean }>();
  let closed = false;
  const listeners = new Set<(changes: readonly StoreChange[]) => void>();

  function emit(changes: readonly StoreChange[]): void {
    for (const listener of listeners) {
      // A listener's failure is its own (it reconciles later); the commit already happened.
      try {
        listener(changes);
      } catch {
        // ignored: see above
      }
    }
  }
  const stopRelay = options.relay?.subscribe(emit);

  function assertUsable(): void {
    if (running.getStore()?.open) throw new Error('nested store transaction');
    if (closed) throw new Error('store is closed');
  }

  async function runSession<T, S>(
    begin: string,
    wrap: (session: SqlSession) => S,
    fn: (scope: S) => Promise<T>,
  ): Promise<T> {
    assertUsable();
    return queue.run(async () => {
      const scope = { open: true };
      try {
        db.exec(begin);
      } catch (error) {
        throw mapBusyError(error);
      }
      try {
        const result = await running.run(scope, () => fn(wrap(createSqliteSession(prepare, () => scope.open))));
        db.exec('COMMIT');
        return result;
      } catch (error) {
        // SQLite may already have rolled back on its own (e.g. SQLITE_FULL); the original error matters.
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      } finally {
        scope.open = false;
      }
    });
  }

  return {
    dialect: 'sqlite',

    async migrate() {
      assertUsable();
      await queue.run(async () => migrateSqlite(db, sqliteMigrations));
    },

    async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
      // IMMEDIATE takes the write lock at once, so the transaction never fails half-way on a lock.
      let changes: StoreChange[] = [];
      const result = await runSession(
        'BEGIN IMMEDIATE',
        (session) => recordChanges(createSqlTx(session, sqliteDialect)),
        async (recorded) => {
          const value = await fn(recorded.tx);
          changes = await recorded.changes();
          return value;
        },
      );
      if (changes.length > 0) {
        emit(changes);
        options.relay?.publish(changes);
      }
      return result;
    },

    read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T> {
      // A deferred read transaction gives `fn` one snapshot even while other processes write.
      return runSession('BEGIN', (session) => createSqlReader(session, sqliteDialect), fn);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    // Bootstrap is the one-time work this serialises; with --workers only the cluster primary
    // does it, so an in-process lock is the whole lock.
    exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
      assertUsable();
      let lock = locks.get(name);
      if (!lock) {
        lock = createSerialQueue();
        locks.set(name, lock);
      }
      return lock.run(fn);
    },

    async close() {
      if (running.getStore()?.open) throw new Error('nested store transaction');
      if (closed) return;
      closed = true;
      stopRelay?.();
      listeners.clear();
      // Calls queued before close still run; later ones are refused by assertUsable.
      await queue.run(async () => db.close());
    },
  };
}

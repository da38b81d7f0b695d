import type { SQLInputValue, StatementSync } from 'node:sqlite';

/** Positional (`?`) or named (`:name`, given without the colon) parameters. */
export type SqlParams = readonly SQLInputValue[] | Readonly<Record<string, SQLInputValue>>;

/** The statements of one `transaction` or `read` call; unusable once that call has ended. */
export interface SqliteSession {
  get<R>(sql: string, params?: SqlParams): R | undefined;
  all<R>(sql: string, params?: SqlParams): R[];
  /** Returns how many rows the statement changed and the last inserted rowid. */
  run(sql: string, params?: SqlParams): { changes: number; lastInsertRowid: number };
  /**
   * Runs `fn` under a savepoint, so a write of several statements is all or nothing even when the
   * caller catches its error and carries on with the transaction.
   */
  atomically<T>(fn: () => T): T;
}

/** Creates the session of one `transaction` or `read` call over the connection's statement cache. */
export function createSqliteSession(prepare: (sql: string) => StatementSync, isOpen: () => boolean): SqliteSession {
  function statement(sql: string): StatementSync {
    // A StoreTx kept past its callback would otherwise write into whichever transaction runs next.
    if (!isOpen()) throw new Error('store transaction already finished');
    return prepare(sql);
  }

  function call<R>(method: 'get' | 'all' | 'run', sql: string, params: SqlParams | undefined): R {
    const stmt = statement(sql);
    if (params === undefined) return stmt[method]() as R;
    if (Array.isArray(params)) return stmt[method](...(params as SQLInputValue[])) as R;
    return stmt[method](params as Record<string, SQLInputValue>) as R;
  }

  return {
    get: (sql, params) => call('get', sql, params),
    all: (sql, params) => call('all', sql, params),
    run(sql, params) {
      const result = call<{ changes: number | bigint; lastInsertRowid: number | bigint }>('run', sql, params);
      return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
    },
    atomically(fn) {
      statement('SAVEPOINT signet_write').run();
      try {
        const result = fn();
        prepare('RELEASE signet_write').run();
        return result;
      } catch (error) {
        prepare('ROLLBACK TO signet_write').run();
        prepare('RELEASE signet_write').run();
        throw error;
      }
    },
  };
}

import type { Params } from '../rows.ts';

/** What a write statement did: how many rows it changed and the rows its RETURNING clause gave. */
export interface SqlResult<R> {
  changes: number;
  rows: R[];
}

/**
 * The statements of one `transaction` or `read` call, as each adapter runs them: SQL written once
 * with `:name` parameters (see `compileStatement`), bound from `params` by name. Unusable
 * once that call has ended. Each engine implements it in its own thin session file.
 */
export interface SqlSession {
  all<R>(sql: string, params?: Params): Promise<R[]>;
  get<R>(sql: string, params?: Params): Promise<R | undefined>;
  /** Runs one write statement; a refused one leaves the transaction usable for the next. */
  run<R = unknown>(sql: string, params?: Params): Promise<SqlResult<R>>;
  /**
   * Runs the statements `fn` issues on the session it is given under a savepoint, all or nothing
   * even when the caller catches the error and carries on, and with no other statement of this
   * session between them.
   */
  atomically<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}

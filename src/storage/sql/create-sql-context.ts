import { insertSql, type Params } from '../rows.ts';
import type { WriteTarget } from '../write-target.ts';
import type { SqlDialect } from './sql-dialect.ts';
import type { SqlResult, SqlSession } from './sql-session.ts';

/** A session, its dialect, and the write helpers every area of `src/storage/sql/` uses. */
export interface SqlContext {
  readonly session: SqlSession;
  readonly dialect: SqlDialect;
  /** Runs one write; a refusal becomes the error the port promises for `target`. */
  write<R = unknown>(sql: string, params: Params, target: WriteTarget): Promise<SqlResult<R>>;
  /** Inserts one row of `table` with the columns of `params`. */
  insert<R = unknown>(table: string, params: Params, target: WriteTarget, returning?: string): Promise<SqlResult<R>>;
  /** Runs several writes all or nothing (see `SqlSession.atomically`). */
  atomically<T>(fn: (context: SqlContext) => Promise<T>): Promise<T>;
}

/** Creates the context of one session. */
export function createSqlContext(session: SqlSession, dialect: SqlDialect): SqlContext {
  const context: SqlContext = {
    session,
    dialect,
    async write<R>(sql: string, params: Params, target: WriteTarget) {
      try {
        return await session.run<R>(sql, params);
      } catch (error) {
        throw dialect.mapWriteError(error, target);
      }
    },
    insert(table, params, target, returning = '') {
      return context.write(`${insertSql(table, params)}${returning}`, params, target);
    },
    atomically(fn) {
      return session.atomically((inner) => fn(createSqlContext(inner, dialect)));
    },
  };
  return context;
}

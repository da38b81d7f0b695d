import type { PoolClient } from 'pg';
import { createSerialQueue } from '../create-serial-queue.ts';
import type { Params } from '../rows.ts';
import { compileStatement, type CompiledStatement } from '../sql/compile-statement.ts';
import type { SqlResult, SqlSession } from '../sql/sql-session.ts';
import { mapPostgresError } from './map-postgres-error.ts';
import { postgresDialect } from './postgres-dialect.ts';

const NO_PARAMS: Params = {};
// The compiled form of each distinct statement, shared by every connection (the SQL is a small fixed set).
const compiled = new Map<string, CompiledStatement>();

function compile(sql: string): CompiledStatement {
  let statement = compiled.get(sql);
  if (!statement) {
    statement = compileStatement(sql, postgresDialect.placeholders);
    compiled.set(sql, statement);
  }
  return statement;
}

/**
 * Creates the session of one `transaction` or `read` call over its pooled client. Every write runs
 * under a savepoint: PostgreSQL refuses every statement after a failed one, and the port promises
 * (as on SQLite) that a caller who catches a refusal can carry on with the transaction.
 */
export function createPostgresSession(client: PoolClient, isOpen: () => boolean): SqlSession {
  // Two writes of one transaction started together must not interleave their savepoints.
  const writes = createSerialQueue();

  async function query<R>(sql: string, params: Params): Promise<SqlResult<R>> {
    // A StoreTx kept past its callback would otherwise write into whichever transaction runs next.
    if (!isOpen()) throw new Error('store transaction already finished');
    const statement = compile(sql);
    try {
      const result = await client.query<R & object>(statement.text, statement.bind(params));
      return { changes: result.rowCount ?? 0, rows: result.rows };
    } catch (error) {
      throw mapPostgresError(error);
    }
  }

  function underSavepoint<T>(fn: () => Promise<T>): Promise<T> {
    return writes.run(async () => {
      await query('SAVEPOINT signet_write', NO_PARAMS);
      let result: T;
      try {
        result = await fn();
      } catch (error) {
        await query('ROLLBACK TO SAVEPOINT signet_write', NO_PARAMS);
        await query('RELEASE SAVEPOINT signet_write', NO_PARAMS);
        throw error;
      }
      await query('RELEASE SAVEPOINT signet_write', NO_PARAMS);
      return result;
    });
  }

  const get = async <R>(sql: string, params: Params = NO_PARAMS) => (await query<R>(sql, params)).rows[0];
  const all = async <R>(sql: string, params: Params = NO_PARAMS) => (await query<R>(sql, params)).rows;

  // What an `atomically` block runs on: already inside the savepoint.
  const inner: SqlSession = {
    get,
    all,
    run: (sql, params = NO_PARAMS) => query(sql, params),
    atomically: (fn) => fn(inner),
  };

  return {
    get,
    all,
    run: (sql, params = NO_PARAMS) => underSavepoint(() => query(sql, params)),
    atomically: (fn) => underSavepoint(() => fn(inner)),
  };
}

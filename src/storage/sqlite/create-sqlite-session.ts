import type { Params } from '../rows.ts';
import type { SqlResult, SqlSession } from '../sql/sql-session.ts';
import type { PreparedStatement } from './create-statement-cache.ts';

const NO_PARAMS: Params = {};

/**
 * Creates the session of one `transaction` or `read` call over the connection's statement cache.
 * node:sqlite runs each statement synchronously, so a statement costs no more than before the
 * port became async; a single statement is atomic on its own, so only `atomically` takes a savepoint.
 */
export function createSqliteSession(prepare: (sql: string) => PreparedStatement, isOpen: () => boolean): SqlSession {
  // The `atomically` block in progress: the session's other statements wait for it to end, so
  // none lands inside its savepoint (and is rolled back with it) while it awaits.
  let block: Promise<unknown> | undefined;

  function statement(sql: string): PreparedStatement {
    // A StoreTx kept past its callback would otherwise write into whichever transaction runs next.
    if (!isOpen()) throw new Error('store transaction already finished');
    return prepare(sql);
  }

  function all<R>(sql: string, params: Params): R[] {
    const { statement: stmt, compiled } = statement(sql);
    return stmt.all(...compiled.bind(params)) as R[];
  }

  function get<R>(sql: string, params: Params): R | undefined {
    const { statement: stmt, compiled } = statement(sql);
    return stmt.get(...compiled.bind(params)) as R | undefined;
  }

  function run<R>(sql: string, params: Params): SqlResult<R> {
    const { statement: stmt, compiled } = statement(sql);
    if (compiled.returnsRows) {
      const rows = stmt.all(...compiled.bind(params)) as R[];
      return { changes: rows.length, rows };
    }
    return { changes: Number(stmt.run(...compiled.bind(params)).changes), rows: [] };
  }

  async function blockEnded(): Promise<void> {
    while (block) await block.catch(() => undefined);
  }

  // What an `atomically` block runs on: already inside the savepoint.
  const inner: SqlSession = {
    all: async (sql, params = NO_PARAMS) => all(sql, params),
    get: async (sql, params = NO_PARAMS) => get(sql, params),
    run: async (sql, params = NO_PARAMS) => run(sql, params),
    atomically: (fn) => fn(inner),
  };

  return {
    async all(sql, params = NO_PARAMS) {
      if (block) await blockEnded();
      return all(sql, params);
    },
    async get(sql, params = NO_PARAMS) {
      if (block) await blockEnded();
      return get(sql, params);
    },
    async run(sql, params = NO_PARAMS) {
      if (block) await blockEnded();
      return run(sql, params);
    },
    async atomically(fn) {
      if (block) await blockEnded();
      statement('SAVEPOINT signet_write').statement.run();
      const running = (async () => {
        try {
          const result = await fn(inner);
          prepare('RELEASE signet_write').statement.run();
          return result;
        } catch (error) {
          prepare('ROLLBACK TO signet_write').statement.run();
          prepare('RELEASE signet_write').statement.run();
          throw error;
        }
      })();
      block = running;
      try {
        return await running;
      } finally {
        if (block === running) block = undefined;
      }
    },
  };
}

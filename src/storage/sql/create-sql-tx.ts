import type { StoreTx } from '../store.ts';
import { createSqlContext } from './create-sql-context.ts';
import { mergeMethods } from './merge-methods.ts';
import type { SqlDialect } from './sql-dialect.ts';
import type { SqlSession } from './sql-session.ts';
import { sqlAreas } from './sql-areas.ts';

/** Implements the port's transaction (reads and writes) over one session, with the same SQL on every engine. */
export function createSqlTx(session: SqlSession, dialect: SqlDialect): StoreTx {
  return mergeMethods(sqlAreas(createSqlContext(session, dialect)).flatMap((area) => [area.reads, area.writes]));
}

import type { StoreReader } from '../store.ts';
import { createSqlContext } from './create-sql-context.ts';
import { mergeMethods } from './merge-methods.ts';
import type { SqlDialect } from './sql-dialect.ts';
import type { SqlSession } from './sql-session.ts';
import { sqlAreas } from './sql-areas.ts';

/** Implements the read half of the port over one session, with the same SQL on every engine. */
export function createSqlReader(session: SqlSession, dialect: SqlDialect): StoreReader {
  return mergeMethods(sqlAreas(createSqlContext(session, dialect)).map((area) => area.reads));
}

import type { Params } from '../rows.ts';
import type { SqlSession } from './sql-session.ts';

/**
 * The rows of `table` whose columns equal the values given (columns whose value is undefined are
 * not filtered on), in `orderBy` order: the list queries whose filters are all optional.
 */
export function selectWhere<R>(
  session: SqlSession,
  table: string,
  columns: Record<string, string | undefined>,
  orderBy: string,
): Promise<R[]> {
  const params: Params = {};
  for (const [column, value] of Object.entries(columns)) if (value !== undefined) params[column] = value;
  const defined = Object.keys(params);
  const where = defined.length === 0 ? '' : ` WHERE ${defined.map((column) => `${column} = :${column}`).join(' AND ')}`;
  return session.all<R>(`SELECT * FROM ${table}${where} ORDER BY ${orderBy}`, params);
}

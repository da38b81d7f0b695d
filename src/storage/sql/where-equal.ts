import type { Params } from '../rows.ts';

/** ` WHERE a = :a AND b = :b` over the columns whose value is defined, and its parameters. */
export function whereEqual(columns: Record<string, string | undefined>): { sql: string; params: Params } {
  const params: Params = {};
  for (const [column, value] of Object.entries(columns)) if (value !== undefined) params[column] = value;
  const defined = Object.keys(params);
  if (defined.length === 0) return { sql: '', params };
  return { sql: ` WHERE ${defined.map((column) => `${column} = :${column}`).join(' AND ')}`, params };
}

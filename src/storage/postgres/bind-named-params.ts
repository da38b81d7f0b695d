import type { Params } from '../rows.ts';

/**
 * Rewrites `:name` parameters (as the SQLite adapter writes them) into PostgreSQL's `$1, $2, ...`
 * and returns the values in that order. `::type` casts are left alone.
 */
export function bindNamedParams(sql: string, params: Params): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const positions = new Map<string, number>();
  const text = sql.replace(/(?<!:):([a-z_][a-z0-9_]*)/g, (_match, name: string) => {
    if (!(name in params)) throw new Error(`no value for SQL parameter :${name}`);
    let position = positions.get(name);
    if (position === undefined) {
      values.push(params[name]);
      position = values.length;
      positions.set(name, position);
    }
    return `$${position}`;
  });
  return { text, values };
}

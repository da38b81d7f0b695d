import type { Params } from '../rows.ts';

/** The named parameters of an UPDATE: node:sqlite refuses values whose name the SQL lacks. */
export function pickParams(params: Params, columns: readonly string[]): Params {
  return Object.fromEntries(columns.map((column) => [column, params[column]!]));
}

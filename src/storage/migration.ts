/**
 * A schema change: `id` is its dated file name, `sql` runs once in a transaction. Each adapter
 * keeps its own SQL under the same ids, so a database of either kind records the same history.
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

import type { WriteTarget } from '../write-target.ts';
import type { PlaceholderStyle } from './compile-statement.ts';

/**
 * The few places where the shared SQL of `src/storage/sql/` differs between engines. Each adapter
 * folder holds one (`sqlite/sqlite-dialect.ts`, `postgres/postgres-dialect.ts`); everything else
 * about a statement is written once.
 */
export interface SqlDialect {
  readonly placeholders: PlaceholderStyle;
  /**
   * Appended to the SELECT of `lockKeySet`: ` FOR UPDATE` on PostgreSQL; empty on SQLite, whose
   * BEGIN IMMEDIATE already holds the database's write lock.
   */
  readonly lockRow: string;
  /** The condition on `tenant_host_names h` that matches `:host_name` whatever its case, served by an index. */
  readonly hostNameMatches: string;
  /** Turns a refused write into the SignetError the port promises for `target`; returns any other error as is. */
  mapWriteError(error: unknown, target: WriteTarget): unknown;
}

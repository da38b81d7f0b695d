import type { SqlDialect } from '../sql/sql-dialect.ts';
import { mapSqliteError } from './map-sqlite-error.ts';

/** SQLite's fragments of the shared SQL. */
export const sqliteDialect: SqlDialect = {
  placeholders: 'question',
  lockRow: '',
  // The column's NOCASE collation makes this comparison case-insensitive, and its primary key serves it.
  hostNameMatches: 'h.host_name = :host_name',
  mapWriteError: mapSqliteError,
};

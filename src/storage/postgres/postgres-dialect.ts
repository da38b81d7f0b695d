import type { SqlDialect } from '../sql/sql-dialect.ts';
import { mapPostgresError } from './map-postgres-error.ts';

/** PostgreSQL's fragments of the shared SQL. */
export const postgresDialect: SqlDialect = {
  placeholders: 'numbered',
  lockRow: ' FOR UPDATE',
  // The unique index on lower(host_name) serves this case-insensitive comparison.
  hostNameMatches: 'lower(h.host_name) = lower(:host_name)',
  mapWriteError: mapPostgresError,
};

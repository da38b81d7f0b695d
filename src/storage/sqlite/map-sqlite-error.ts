import { constraintError, type ConstraintViolation } from '../sql/constraint-error.ts';
import type { WriteTarget } from '../write-target.ts';

// Extended result codes of sqlite3 (https://sqlite.org/rescode.html).
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_TRIGGER = 1811;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;

// SQLite names the columns, not the index, of a violated unique index: this is the partial index
// of keys_one_active or keys_one_next (the primary key would read `keys.key_set_id, keys.kid`).
const ONE_PER_KEY_SET_MESSAGE = 'UNIQUE constraint failed: keys.key_set_id';

interface SqliteError extends Error {
  code: 'ERR_SQLITE_ERROR';
  errcode: number;
}

function isSqliteError(error: unknown): error is SqliteError {
  return error instanceof Error && (error as Partial<SqliteError>).code === 'ERR_SQLITE_ERROR';
}

function violationOf(error: SqliteError): ConstraintViolation | undefined {
  switch (error.errcode) {
    case SQLITE_CONSTRAINT_UNIQUE:
      return { kind: error.message === ONE_PER_KEY_SET_MESSAGE ? 'onePerKeySet' : 'unique' };
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return { kind: 'unique' };
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return { kind: 'foreignKey' };
    case SQLITE_CONSTRAINT_TRIGGER:
      return { kind: 'trigger', message: error.message };
    default:
      return undefined;
  }
}

/**
 * Turns a constraint violation of the schema into the SignetError the port promises (see
 * `constraintError`); returns any other error as is.
 */
export function mapSqliteError(error: unknown, target: WriteTarget): unknown {
  if (!isSqliteError(error)) return error;
  const violation = violationOf(error);
  return (violation && constraintError(violation, target)) ?? error;
}

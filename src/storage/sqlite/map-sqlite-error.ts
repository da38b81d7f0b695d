import { SignetError } from '../../errors.ts';
import type { WriteTarget } from '../write-target.ts';

// Extended result codes of sqlite3 (https://sqlite.org/rescode.html).
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_TRIGGER = 1811;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;

// SQLite names the columns, not the index, of a violated unique index: this is the partial index
// of keys_one_active or keys_one_next (the primary key would read `keys.key_set_id, keys.kid`).
const ONE_PER_KEY_SET_MESSAGE = 'UNIQUE constraint failed: keys.key_set_id';
const TRANSITION_PREFIX = 'signet:invalid_transition:';
const CUSTODY_MISMATCH = 'signet:key_custody_mismatch';

interface SqliteError extends Error {
  code: 'ERR_SQLITE_ERROR';
  errcode: number;
}

function isSqliteError(error: unknown): error is SqliteError {
  return error instanceof Error && (error as Partial<SqliteError>).code === 'ERR_SQLITE_ERROR';
}

/**
 * Turns a constraint violation of the schema into the SignetError the port promises (duplicate ->
 * ERR_ALREADY_EXISTS; I1, I2 or I5 refused -> ERR_INVALID_TRANSITION); returns any other error as is.
 */
export function mapSqliteError(error: unknown, target: WriteTarget): unknown {
  if (!isSqliteError(error)) return error;
  const { key } = target;

  if (error.errcode === SQLITE_CONSTRAINT_UNIQUE && key && error.message === ONE_PER_KEY_SET_MESSAGE) {
    const article = key.state === 'active' ? 'an' : 'a';
    return new SignetError(
      'ERR_INVALID_TRANSITION',
      `key set ${key.keySetId} already has ${article} ${key.state} key`,
      {
        ...target.details,
        state: key.state,
      },
    );
  }
  if (error.errcode === SQLITE_CONSTRAINT_UNIQUE || error.errcode === SQLITE_CONSTRAINT_PRIMARYKEY) {
    return new SignetError('ERR_ALREADY_EXISTS', `${target.label} already exists`, target.details);
  }
  if (error.errcode === SQLITE_CONSTRAINT_FOREIGNKEY && target.foreignKey) return target.foreignKey;
  if (error.errcode === SQLITE_CONSTRAINT_TRIGGER && error.message.startsWith(TRANSITION_PREFIX)) {
    const [from = '', to = ''] = error.message.slice(TRANSITION_PREFIX.length).split(':');
    const subject = key ? `key ${key.kid}` : 'a key';
    return new SignetError('ERR_INVALID_TRANSITION', `${subject} cannot go from ${from} to ${to}`, {
      ...target.details,
      from,
      to,
    });
  }
  if (error.errcode === SQLITE_CONSTRAINT_TRIGGER && error.message === CUSTODY_MISMATCH) {
    // Migration 2026-12-02-key-custody: only a bug can write a key outside its key set's custody.
    return new SignetError('ERR_INTERNAL', `${target.label} does not match its key set's custody`, target.details);
  }
  return error;
}

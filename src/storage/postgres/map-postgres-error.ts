import { SignetError } from '../../errors.ts';
import { constraintError, type ConstraintViolation } from '../sql/constraint-error.ts';
import type { WriteTarget } from '../write-target.ts';

/** The fields of node-postgres' DatabaseError (and of Node's system errors) this module reads. */
interface PostgresErrorFields {
  code?: string;
  constraint?: string;
  message: string;
}

// Partial unique indexes of the schema (I1, I2): a violation is a refused transition, not a duplicate.
const ONE_PER_KEY_SET_INDEXES = new Set(['keys_one_active', 'keys_one_next']);
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

// Node's socket errors, and the SQLSTATEs of a server that is gone, shutting down or starting up.
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '57P05',
  '53300',
]);
// node-postgres and pg-pool report a lost or timed-out connection with these messages and no code.
const CONNECTION_ERROR_MESSAGE =
  /^Connection terminated|timeout exceeded when trying to connect|is not queryable|^Connection ended/;

/** The message of ERR_UNAVAILABLE, which the error table serves as 503. */
export const DATABASE_UNREACHABLE = 'the database is unreachable; management changes are refused until it is back';
// query_canceled (statement_timeout) and lock_not_available (lock_timeout); the schema never
// cancels a statement or locks with NOWAIT on purpose, so either means a database too slow to use.
const TIMEOUT_CODES = new Set(['57014', '55P03']);
// node-postgres' query_timeout: the server did not answer at all.
const TIMEOUT_MESSAGE = /^Query read timeout/;

/** The message of ERR_UNAVAILABLE when a statement ran into the statement, lock or client timeout. */
export const DATABASE_TIMEOUT =
  'the database did not answer in time; management changes are refused until it answers again';
/** The message of ERR_UNAVAILABLE when every pooled connection stayed busy past the connect timeout. */
export const DATABASE_BUSY = 'every database connection of this instance is busy; try again shortly';

function fields(error: unknown): PostgresErrorFields | undefined {
  return error instanceof Error ? (error as Error & PostgresErrorFields) : undefined;
}

/** True when `error` says the database cannot be reached (as opposed to refusing a statement). */
export function isConnectionFailure(error: unknown): boolean {
  const e = fields(error);
  if (!e) return false;
  if (e.code && (CONNECTION_ERROR_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  return CONNECTION_ERROR_MESSAGE.test(e.message);
}

/** True when `error` is a statement, lock or client-side query timeout (a database that hangs rather than refuses). */
export function isTimeout(error: unknown): boolean {
  const e = fields(error);
  if (!e) return false;
  return (e.code !== undefined && TIMEOUT_CODES.has(e.code)) || TIMEOUT_MESSAGE.test(e.message);
}

/**
 * Turns a failure of any statement into the SignetError the port promises where one applies: an
 * unreachable database or one that timed out -> ERR_UNAVAILABLE (the original error kept as `cause`), a
 * value PostgreSQL cannot store (a NUL character, an index entry past its limit) -> ERR_VALIDATION;
 * with a `target`, a constraint
 * violation of the schema as on SQLite (duplicate -> ERR_ALREADY_EXISTS; I1, I2 or I5 refused ->
 * ERR_INVALID_TRANSITION). Returns any other error as is.
 */
export function mapPostgresError(error: unknown, target?: WriteTarget): unknown {
  const e = fields(error);
  if (!e || error instanceof SignetError) return error;
  if (isConnectionFailure(error)) {
    const unavailable = new SignetError('ERR_UNAVAILABLE', DATABASE_UNREACHABLE);
    Object.defineProperty(unavailable, 'cause', { value: error, enumerable: false });
    return unavailable;
  }
  if (isTimeout(error)) {
    const timedOut = new SignetError('ERR_UNAVAILABLE', DATABASE_TIMEOUT);
    Object.defineProperty(timedOut, 'cause', { value: error, enumerable: false });
    return timedOut;
  }
  // invalid_byte_sequence (a NUL in text) and untranslatable_character.
  if (e.code === '22021' || e.code === '22P05') {
    return new SignetError('ERR_VALIDATION', 'a value contains a character the database cannot store (such as NUL)');
  }
  // program_limit_exceeded: e.g. an identifier too long for its index.
  if (e.code === '54000') return new SignetError('ERR_VALIDATION', 'a value is too long for the database');
  if (!target) return error;
  return constraintError(violationOf(e), target) ?? error;
}

function violationOf(e: PostgresErrorFields): ConstraintViolation {
  if (e.code === UNIQUE_VIOLATION) {
    return { kind: e.constraint && ONE_PER_KEY_SET_INDEXES.has(e.constraint) ? 'onePerKeySet' : 'unique' };
  }
  if (e.code === FOREIGN_KEY_VIOLATION) return { kind: 'foreignKey' };
  // The schema's triggers raise their refusals with messages of their own (and various SQLSTATEs).
  return { kind: 'trigger', message: e.message };
}

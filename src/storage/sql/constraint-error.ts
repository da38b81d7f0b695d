import { SignetError } from '../../errors.ts';
import type { WriteTarget } from '../write-target.ts';

/**
 * A constraint of the schema that refused a write, as each engine's error mapping recognises it
 * from its own codes: a one-per-key-set index (I1, I2), any other unique key, a foreign key, or a
 * trigger (whose message says which, e.g. a transition that is not an edge of docs/spec.md §2).
 */
export type ConstraintViolation =
  | { kind: 'onePerKeySet' | 'unique' | 'foreignKey' }
  | { kind: 'trigger'; message: string };

// The message the schema's transition triggers raise: `signet:invalid_transition:<from>:<to>`.
const TRANSITION_PREFIX = 'signet:invalid_transition:';
// Migration 2026-12-02-key-custody: a key stored outside its key set's custody, which only a bug can write.
const CUSTODY_MISMATCH = 'signet:key_custody_mismatch';

/**
 * Turns a refused write into the SignetError the port promises (duplicate -> ERR_ALREADY_EXISTS;
 * I1, I2 or I5 refused -> ERR_INVALID_TRANSITION; a foreign key -> the target's own error), or
 * undefined when the violation means nothing for this target.
 */
export function constraintError(violation: ConstraintViolation, target: WriteTarget): SignetError | undefined {
  const { key } = target;
  switch (violation.kind) {
    case 'onePerKeySet': {
      if (!key) return constraintError({ kind: 'unique' }, target);
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
    case 'unique':
      return new SignetError('ERR_ALREADY_EXISTS', `${target.label} already exists`, target.details);
    case 'foreignKey':
      return target.foreignKey;
    case 'trigger': {
      if (violation.message === CUSTODY_MISMATCH) {
        return new SignetError('ERR_INTERNAL', `${target.label} does not match its key set's custody`, target.details);
      }
      if (!violation.message.startsWith(TRANSITION_PREFIX)) return undefined;
      const [from = '', to = ''] = violation.message.slice(TRANSITION_PREFIX.length).split(':');
      const subject = key ? `key ${key.kid}` : 'a key';
      return new SignetError('ERR_INVALID_TRANSITION', `${subject} cannot go from ${from} to ${to}`, {
        ...target.details,
        from,
        to,
      });
    }
  }
}

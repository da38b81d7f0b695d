import type { Key } from './types.ts';

/** The active and next keys of a key set (I1, I2: at most one of each). */
export function findCurrentKeys(keys: readonly Key[]): { active: Key | undefined; next: Key | undefined } {
  return {
    active: keys.find((key) => key.state === 'active'),
    next: keys.find((key) => key.state === 'next'),
  };
}

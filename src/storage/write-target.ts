import type { ErrorDetails } from '../errors.ts';
import type { KeyState } from '../domain/types.ts';

/** What a failed write was writing, so each adapter's error mapping can name it. */
export interface WriteTarget {
  /** Names the record for `<label> already exists`, e.g. `tenant acme`. */
  label: string;
  details: ErrorDetails;
  /** The key being written, when it is one: the invariant errors name its key set and state. */
  key?: { keySetId: string; kid: string; state: KeyState };
}

import { randomBytes } from 'node:crypto';
import { SignetError } from '../errors.ts';

/** A prefixed random token: `prefix` followed by base64url of `bytes` random bytes (32 = 256 bits). */
export function randomToken(prefix: string, bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
    throw new SignetError('ERR_VALIDATION', 'random token length must be an integer from 1 to 1024 bytes');
  }
  return prefix + randomBytes(bytes).toString('base64url');
}

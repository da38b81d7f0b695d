import { createHash, randomBytes } from 'node:crypto';
import { SignetError } from '../errors.ts';

/** A 32-byte AES-256-GCM master key and its public identifier. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

const KEY_BYTES = 32;
const HEX = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters plus one `=` of padding; either alphabet (RFC 4648 §4, §5).
const BASE64 = /^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$/;

function invalid(index: number, count: number, reason: string): SignetError {
  // Only the position and the reason: the entry itself is secret.
  return new SignetError('ERR_VALIDATION', `master key entry ${index + 1} of ${count} is invalid: ${reason}`, {
    entry: index + 1,
  });
}

function decodeEntry(entry: string, index: number, count: number): Buffer {
  let key: Buffer;
  if (HEX.test(entry)) key = Buffer.from(entry, 'hex');
  // Node's base64 decoder reads both alphabets.
  else if (BASE64.test(entry)) key = Buffer.from(entry, 'base64');
  else {
    throw invalid(
      index,
      count,
      `expected 64 hex characters or 43/44 base64 or base64url characters encoding ${KEY_BYTES} bytes, got ${entry.length} characters`,
    );
  }
  if (key.length !== KEY_BYTES) throw invalid(index, count, `it decodes to ${key.length} bytes, not ${KEY_BYTES}`);
  // A key of one repeated byte (all zeros, say) is a placeholder, not a secret.
  if (key.every((byte) => byte === key[0]))
    throw invalid(index, count, 'it is a single repeated byte, not a random key');
  return key;
}

/** The identifier stored with sealed keys: 16 base64url characters of a domain-separated SHA-256 of the key. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('signet:master-key-id:').update(key).digest('base64url').slice(0, 16);
}

/**
 * Parses a keyring of master keys separated by commas, spaces or newlines; the first seals new keys,
 * all of them unseal, so a master key is rotated by prepending the new one.
 */
export function parseMasterKeys(text: string): MasterKey[] {
  const entries = text.split(/[\s,]+/).filter((entry) => entry !== '');
  if (entries.length === 0) {
    throw new SignetError(
      'ERR_VALIDATION',
      'no master key given: expected one or more 32-byte keys (64 hex or 43 base64url characters)',
    );
  }
  const keys: MasterKey[] = [];
  entries.forEach((entry, index) => {
    const key = decodeEntry(entry, index, entries.length);
    const id = masterKeyId(key);
    const earlier = keys.findIndex((known) => known.id === id);
    if (earlier !== -1) throw invalid(index, entries.length, `it repeats entry ${earlier + 1}`);
    keys.push({ id, key });
  });
  return keys;
}

/** A fresh random master key in the text form `parseMasterKeys` reads. */
export function generateMasterKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64url');
}

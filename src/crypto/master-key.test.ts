import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSignetError, type SignetError } from '../errors.ts';
import { generateMasterKeyText, masterKeyId, parseMasterKeys } from './master-key.ts';

function rejects(text: string, entry: number | null, secret?: string): void {
  assert.throws(
    () => parseMasterKeys(text),
    (error) => {
      assert.ok(isSignetError(error, 'ERR_VALIDATION'));
      if (entry !== null) {
        assert.match(error.message, new RegExp(`entry ${entry} of`));
        assert.equal((error as SignetError).details?.entry, entry);
      }
      if (secret) assert.equal(error.message.includes(secret), false, 'the message repeats the key text');
      return true;
    },
  );
}

describe('parseMasterKeys', () => {
  const key = randomBytes(32);

  it('reads a key as hex, base64 or base64url, padded or not', () => {
    for (const text of [
      key.toString('hex'),
      key.toString('hex').toUpperCase(),
      key.toString('base64'),
      key.toString('base64url'),
      `${key.toString('base64url')}=`,
    ]) {
      const parsed = parseMasterKeys(text);
      assert.equal(parsed.length, 1);
      assert.deepEqual(parsed[0]?.key, key);
      assert.equal(parsed[0]?.id, masterKeyId(key));
    }
  });

  it('reads a keyring separated by commas, spaces and newlines, first key first', () => {
    const keys = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const text = `\n  ${keys[0]?.toString('base64url')},${keys[1]?.toString('hex')}\n\t${keys[2]?.toString('base64')}\n`;
    assert.deepEqual(
      parseMasterKeys(text).map((entry) => entry.key),
      keys,
    );
  });

  it('refuses an empty keyring', () => {
    for (const text of ['', '   \n', ' , ,\n']) rejects(text, null);
  });

  it('names the bad entry by position and never repeats its text', () => {
    const good = key.toString('base64url');
    const short = randomBytes(31).toString('base64url');
    const long = randomBytes(33).toString('hex');
    rejects(`${good},${short}`, 2, short);
    rejects(`${long} ${good}`, 1, long);
    rejects(`${good}\n${good.slice(0, 42)}!`, 2, good.slice(0, 42));
    rejects(`${good},${'A'.repeat(42)}*`, 2);
  });

  it('refuses a repeated key and a placeholder of one repeated byte', () => {
    rejects(`${key.toString('base64url')},${key.toString('hex')}`, 2);
    rejects('0'.repeat(64), 1);
    rejects(Buffer.alloc(32, 7).toString('base64url'), 1);
  });
});

describe('masterKeyId', () => {
  it('is 16 base64url characters of SHA-256("signet:master-key-id:" || key)', () => {
    const key = randomBytes(32);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('signet:master-key-id:'), key]))
      .digest('base64url')
      .slice(0, 16);
    assert.equal(masterKeyId(key), expected);
  });

  it('does not reveal the key hash itself (domain separated)', () => {
    const key = randomBytes(32);
    assert.notEqual(masterKeyId(key), createHash('sha256').update(key).digest('base64url').slice(0, 16));
  });
});

describe('generateMasterKeyText', () => {
  it('generates a fresh 32-byte key that parseMasterKeys reads back', () => {
    const a = generateMasterKeyText();
    const b = generateMasterKeyText();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(parseMasterKeys(a)[0]?.key, Buffer.from(a, 'base64url'));
  });
});

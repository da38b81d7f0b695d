import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { createSealer } from './create-sealer.ts';
import { masterKeyId, type MasterKey } from './master-key.ts';

function masterKey(): MasterKey {
  const key = randomBytes(32);
  return { id: masterKeyId(key), key };
}

const pkcs8 = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'pkcs8' });
const failsInternally = (error: unknown): boolean => isSignetError(error, 'ERR_INTERNAL');

describe('createSealer', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const ed = generateKeyPairSync('ed25519').privateKey;
  const current = masterKey();
  const sealer = createSealer([current]);
  const aad = 'ks_1/kid_1';

  it('round-trips RSA, EC and Ed25519 private keys', () => {
    for (const key of [rsa, ec, ed]) {
      const unsealed = sealer.unseal(sealer.seal(key, aad), aad);
      assert.equal(unsealed.type, 'private');
      assert.deepEqual(pkcs8(unsealed), pkcs8(key));
    }
  });

  it('writes sgk1.<master key id>.<iv>.<ciphertext>.<tag> with a fresh 12-byte IV each time', () => {
    const a = sealer.seal(ec, aad);
    const b = sealer.seal(ec, aad);
    const [format, id, iv, ciphertext, tag, ...rest] = a.split('.');
    assert.equal(format, 'sgk1');
    assert.equal(id, current.id);
    assert.equal(Buffer.from(iv as string, 'base64url').length, 12);
    assert.equal(Buffer.from(ciphertext as string, 'base64url').length, pkcs8(ec).length);
    assert.equal(Buffer.from(tag as string, 'base64url').length, 16);
    assert.deepEqual(rest, []);
    assert.notEqual(a, b);
    assert.equal(sealer.currentMasterKeyId, current.id);
    assert.equal(sealer.masterKeyIdOf(a), current.id);
  });

  it('contains no recognisable key material', () => {
    for (const key of [rsa, ec, ed]) {
      const sealed = sealer.seal(key, aad);
      assert.equal(sealed.includes('PRIVATE KEY'), false);
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        assert.equal(sealed.includes(`"${member}"`), false, member);
      // Neither the DER nor the JWK `d` shows through in any encoding.
      const der = pkcs8(key);
      assert.equal(sealed.includes(der.subarray(0, 24).toString('base64url')), false);
      assert.equal(sealed.includes(String(key.export({ format: 'jwk' }).d).slice(0, 16)), false);
    }
  });

  it('refuses to unseal under another AAD (another row)', () => {
    const sealed = sealer.seal(ec, aad);
    assert.throws(() => sealer.unseal(sealed, 'ks_1/kid_2'), failsInternally);
    assert.throws(() => sealer.unseal(sealed, 'ks_2/kid_1'), failsInternally);
  });

  it('refuses a tampered ciphertext, IV or tag', () => {
    const sealed = sealer.seal(ec, aad);
    const parts = sealed.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index] as string, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      const tampered = parts.with(index, bytes.toString('base64url')).join('.');
      assert.throws(() => sealer.unseal(tampered, aad), failsInternally, `part ${index}`);
    }
  });

  it('refuses a key sealed under a master key it does not hold, naming only its id', () => {
    const other = masterKey();
    const sealed = createSealer([other]).seal(ec, aad);
    assert.throws(
      () => sealer.unseal(sealed, aad),
      (error) => {
        assert.ok(failsInternally(error));
        assert.equal((error as Error).message, `sealed with master key ${other.id}, which is not configured`);
        return true;
      },
    );
  });

  it('fails authentication when a different key claims the same id', () => {
    const sealed = sealer.seal(ed, aad);
    const impostor = createSealer([{ id: current.id, key: randomBytes(32) }]);
    assert.throws(
      () => impostor.unseal(sealed, aad),
      (error) => {
        assert.ok(failsInternally(error));
        assert.equal((error as Error).message.includes(current.key.toString('base64url')), false);
        return true;
      },
    );
  });

  it('unseals keys sealed under an older master key of the keyring and seals under the first', () => {
    const old = masterKey();
    const sealedBefore = createSealer([old]).seal(rsa, aad);
    const rotated = createSealer([masterKey(), old]);
    assert.deepEqual(pkcs8(rotated.unseal(sealedBefore, aad)), pkcs8(rsa));
    assert.notEqual(rotated.masterKeyIdOf(rotated.seal(rsa, aad)), old.id);
  });

  it('refuses malformed sealed text', () => {
    for (const sealed of [
      '',
      'sgk1',
      'sgk2.a.b.c.d',
      'sgk1.a.b.c',
      'sgk1.a.b.c.d.e',
      `sgk1.${current.id}.!!.AA.AA`,
      `sgk1.${current.id}.AA.AA.AA`,
    ]) {
      assert.throws(() => sealer.unseal(sealed, aad), failsInternally, sealed);
    }
  });

  it('refuses to seal a public key and to start without a master key', () => {
    assert.throws(() => sealer.seal(generateKeyPairSync('ed25519').publicKey, aad), failsInternally);
    assert.throws(
      () => createSealer([]),
      (error) => isSignetError(error, 'ERR_VALIDATION'),
    );
  });
});

import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { createSealer } from './create-sealer.ts';
import { masterKeyId } from './master-key.ts';
import { unsealPrivateKey } from './unseal-private-key.ts';

describe('unsealPrivateKey', () => {
  const bytes = randomBytes(32);
  const sealer = createSealer([{ id: masterKeyId(bytes), key: bytes }]);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('unseals a key sealed under "<keySetId>/<kid>"', () => {
    const key = { keySetId: 'ks_1', kid: 'kid_1', sealedPrivateKey: sealer.seal(privateKey, 'ks_1/kid_1') };
    assert.deepEqual(unsealPrivateKey(key, sealer).export({ format: 'jwk' }), privateKey.export({ format: 'jwk' }));
  });

  it('refuses a sealed key copied onto another row', () => {
    const sealedPrivateKey = sealer.seal(privateKey, 'ks_1/kid_1');
    for (const key of [
      { keySetId: 'ks_2', kid: 'kid_1', sealedPrivateKey },
      { keySetId: 'ks_1', kid: 'kid_2', sealedPrivateKey },
    ]) {
      assert.throws(
        () => unsealPrivateKey(key, sealer),
        (error) => isSignetError(error, 'ERR_INTERNAL'),
      );
    }
  });
});

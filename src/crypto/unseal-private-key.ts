import type { KeyObject } from 'node:crypto';
import type { Key } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { Sealer } from './create-sealer.ts';
import { privateKeyAad } from './private-key-aad.ts';

/** The private KeyObject of a stored key, unsealed under the AAD that binds it to its row. */
export function unsealPrivateKey(key: Pick<Key, 'keySetId' | 'kid' | 'sealedPrivateKey'>, sealer: Sealer): KeyObject {
  if (key.sealedPrivateKey === null) throw new SignetError('ERR_INTERNAL', `key ${key.kid} is not sealed`);
  return sealer.unseal(key.sealedPrivateKey, privateKeyAad(key.keySetId, key.kid));
}

import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Sealer } from '../crypto/create-sealer.ts';
import { generateKeyPair } from '../crypto/generate-key-pair.ts';
import { keyObjectSigner } from '../crypto/key-object-signer.ts';
import { privateKeyAad } from '../crypto/private-key-aad.ts';
import { SignetError } from '../errors.ts';
import type { CustodyKeyPair, CustodyKeyRef, KeyCustody } from './key-custody.ts';

/** A key pair whose private half is an in-memory KeyObject, sealed when it is bound to its row. */
function heldInMemory(privateKey: KeyObject, sealer: Sealer): CustodyKeyPair {
  return {
    publicKey: createPublicKey(privateKey),
    sign: (alg, data) => keyObjectSigner(alg, privateKey)(data),
    bind: async (keySetId, kid) => ({
      sealedPrivateKey: sealer.seal(privateKey, privateKeyAad(keySetId, kid)),
      tokenObjectId: null,
    }),
    discard: async () => {},
  };
}

function unseal(key: CustodyKeyRef, sealer: Sealer): KeyObject {
  if (key.held.sealedPrivateKey === null) {
    throw new SignetError('ERR_INTERNAL', `key ${key.kid} has no sealed private key`);
  }
  return sealer.unseal(key.held.sealedPrivateKey, privateKeyAad(key.keySetId, key.kid));
}

/**
 * The `sealed` custody (the default, docs/spec.md I3): private keys live AES-256-GCM-sealed in the
 * database, bound to their row, and are unsealed into memory to sign.
 */
export function createSealedCustody(deps: { sealer: Sealer; generate?: typeof generateKeyPair }): KeyCustody {
  const { sealer, generate = generateKeyPair } = deps;
  return {
    custody: 'sealed',
    // node:crypto signs every algorithm of docs/spec.md §4.
    assertSupports: () => {},
    async generate(alg, rsaModulusLength) {
      const pair = await generate(alg, rsaModulusLength);
      return heldInMemory(pair.privateKey, sealer);
    },
    async importPrivateKey(privateKey) {
      return heldInMemory(privateKey, sealer);
    },
    open(key) {
      const privateKey = unseal(key, sealer);
      return (alg, data) => keyObjectSigner(alg, privateKey)(data);
    },
    async readPublicKey(key) {
      return createPublicKey(unseal(key, sealer));
    },
    // The sealed envelope stays in its row, which the schema never deletes (audit); it signs nothing
    // once the key left the published set.
    destroy: async () => {},
    listHeldObjectIds: async () => new Set<string>(),
    isAvailable: () => true,
    check: async () => true,
    close: async () => {},
  };
}

import { createPublicKey } from 'node:crypto';
import type { Sealer } from './create-sealer.ts';
import type { KeyPair } from './generate-key-pair.ts';

/** Unseals a sealed private key under `aad` and pairs it with its public half. */
export function unsealKeyPair(sealed: string, aad: string, sealer: Sealer): KeyPair {
  const privateKey = sealer.unseal(sealed, aad);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

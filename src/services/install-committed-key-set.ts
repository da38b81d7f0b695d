import type { KeyMaterialPool } from '../crypto/create-key-material-pool.ts';
import type { Key, KeySet } from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';

/**
 * The one rule after a committed lifecycle change (API, dialects and scheduler alike): serve the
 * key set as the transaction left it, without a read, and refill the key pool with certificates
 * of the key set's own validity, so the next rotation neither generates nor signs.
 */
export function installCommittedKeySet(
  deps: { registry: Registry; pool: KeyMaterialPool },
  committed: { keySet: KeySet; keys: Key[] },
): void {
  const { keySet, keys } = committed;
  deps.registry.installKeySet(keySet, keys);
  deps.pool.warm(keySet.alg, keySet.rsaModulusLength, keySet.policy.certificateValiditySeconds);
}

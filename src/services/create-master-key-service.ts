import type { Sealer } from '../crypto/create-sealer.ts';
import { csrPrivateKeyAad } from '../crypto/csr-private-key-aad.ts';
import { privateKeyAad } from '../crypto/private-key-aad.ts';
import type { RequestContext } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { auditEvent } from './audit-event.ts';
import type { SealedSecret, Store } from '../storage/store.ts';

/** How many sealed private keys each master key still protects. */
export interface MasterKeyStatus {
  /** The master key new seals use (the first of SIGNET_MASTER_KEY). */
  currentMasterKeyId: string;
  /** Per master-key id: signing keys and CSR keys sealed under it. */
  protects: Record<string, { keys: number; csrs: number }>;
}

/** What one pass of `master-key rotate` did. */
export interface MasterKeyRotation {
  currentMasterKeyId: string;
  /** Re-sealed by this pass. */
  resealed: number;
  /** Already under the current master key. */
  current: number;
  /** Changed by someone else (a concurrent pass) between the read and the write: left as they are. */
  skipped: number;
}

const aadOf = (secret: SealedSecret): string =>
  secret.kind === 'key'
    ? privateKeyAad(secret.keySetId, secret.kid)
    : csrPrivateKeyAad(secret.tenantId, secret.idpId, secret.id);

/**
 * Master-key rotation (docs/spec.md §7): re-seals every sealed private key under the first master
 * key, each in its own transaction with its audit event, so a crash at any moment leaves every key
 * sealed under a key of the keyring and a rerun finishes the job; instances keep serving meanwhile.
 */
export function createMasterKeyService(deps: { store: Store; sealer: Sealer; now: () => number }) {
  const { store, sealer, now } = deps;
  return {
    /** Counts the ciphertexts each master key protects, so an operator knows when an old one can go. */
    async status(): Promise<MasterKeyStatus> {
      const secrets = await store.read((reader) => reader.listSealedSecrets());
      const protects: MasterKeyStatus['protects'] = {};
      for (const secret of secrets) {
        const id = sealer.masterKeyIdOf(secret.sealed);
        const entry = (protects[id] ??= { keys: 0, csrs: 0 });
        if (secret.kind === 'key') entry.keys += 1;
        else entry.csrs += 1;
      }
      return { currentMasterKeyId: sealer.currentMasterKeyId, protects };
    },

    /** Re-seals every private key not yet under the current master key; `onResealed` reports progress. */
    async rotate(context: RequestContext, onResealed?: (secret: SealedSecret) => void): Promise<MasterKeyRotation> {
      const result = { currentMasterKeyId: sealer.currentMasterKeyId, resealed: 0, current: 0, skipped: 0 };
      const secrets = await store.read((reader) => reader.listSealedSecrets());
      for (const secret of secrets) {
        const from = sealer.masterKeyIdOf(secret.sealed);
        if (from === sealer.currentMasterKeyId) {
          result.current += 1;
          continue;
        }
        const aad = aadOf(secret);
        // Unsealed and sealed again in memory; the plaintext never leaves this process.
        const sealed = sealer.seal(sealer.unseal(secret.sealed, aad), aad);
        const written = await store.transaction(async (tx) => {
          if (!(await tx.resealSecret(secret, sealed))) return false;
          const ids = { fromMasterKeyId: from, toMasterKeyId: sealer.currentMasterKeyId };
          await tx.appendAuditEvent(
            auditEvent(
              context,
              secret.tenantId,
              now(),
              'key.resealed',
              'masterKeyRotate',
              secret.kind === 'key'
                ? { keySetId: secret.keySetId, kid: secret.kid, details: ids }
                : { details: { ...ids, identityProviderId: secret.idpId, csrId: secret.id } },
            ),
          );
          return true;
        });
        if (written) {
          result.resealed += 1;
          onResealed?.(secret);
        } else result.skipped += 1;
      }
      return result;
    },

    /**
     * Refuses to start when the keyring cannot unseal what the database holds: a ciphertext under
     * a master key that is not configured, or one that fails authentication (never echoing a key).
     */
    async assertUnsealsAll(): Promise<void> {
      const secrets = await store.read((reader) => reader.listSealedSecrets());
      const tried = new Set<string>();
      for (const secret of secrets) {
        const id = sealer.masterKeyIdOf(secret.sealed);
        if (tried.has(id)) continue;
        tried.add(id);
        try {
          sealer.unseal(secret.sealed, aadOf(secret));
        } catch {
          const count = secrets.filter((other) => sealer.masterKeyIdOf(other.sealed) === id).length;
          throw new SignetError(
            'ERR_VALIDATION',
            `SIGNET_MASTER_KEY cannot unseal the ${count} private key(s) sealed under master key ${id}: add that master key to SIGNET_MASTER_KEY (or SIGNET_MASTER_KEY_FILE)`,
            { masterKeyId: id, fields: ['SIGNET_MASTER_KEY'] },
          );
        }
      }
    },
  };
}

export type MasterKeyService = ReturnType<typeof createMasterKeyService>;

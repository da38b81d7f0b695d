import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';

interface SealedKeyRow {
  tenant_id: string;
  key_set_id: string;
  kid: string;
  sealed_private_key: string;
}

interface SealedCsrRow {
  tenant_id: string;
  idp_id: string;
  id: string;
  sealed_private_key: string;
}

/** The sealed private keys of every tenant (signing keys and CSR keys), for master-key rotation. */
export function sealedSecretSql({ session, write }: SqlContext) {
  const reads = {
    async listSealedSecrets() {
      // A pkcs11 key's row holds no envelope (an empty sealed_private_key): there is nothing to re-seal.
      const keys = await session.all<SealedKeyRow>(
        `SELECT key_sets.tenant_id, keys.key_set_id, keys.kid, keys.sealed_private_key FROM keys
         JOIN key_sets ON key_sets.id = keys.key_set_id WHERE keys.sealed_private_key <> ''
         ORDER BY keys.key_set_id, keys.kid`,
        {},
      );
      const csrs = await session.all<SealedCsrRow>(
        'SELECT tenant_id, idp_id, id, sealed_private_key FROM idp_csrs ORDER BY id',
        {},
      );
      return [
        ...keys.map((row) => ({
          kind: 'key' as const,
          tenantId: row.tenant_id,
          keySetId: row.key_set_id,
          kid: row.kid,
          sealed: row.sealed_private_key,
        })),
        ...csrs.map((row) => ({
          kind: 'csr' as const,
          tenantId: row.tenant_id,
          idpId: row.idp_id,
          id: row.id,
          sealed: row.sealed_private_key,
        })),
      ];
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    // Compare-and-swap on the envelope read: a concurrent rotation, or a rerun after a crash,
    // changes nothing twice.
    async resealSecret(secret, sealed) {
      const target = {
        label: `sealed private key of ${secret.kind} ${secret.kind === 'key' ? secret.kid : secret.id}`,
        details: {},
      };
      const updated =
        secret.kind === 'key'
          ? await write(
              `UPDATE keys SET sealed_private_key = :sealed
               WHERE key_set_id = :key_set_id AND kid = :kid AND sealed_private_key = :from`,
              { sealed, key_set_id: secret.keySetId, kid: secret.kid, from: secret.sealed },
              target,
            )
          : await write(
              'UPDATE idp_csrs SET sealed_private_key = :sealed WHERE id = :id AND sealed_private_key = :from',
              { sealed, id: secret.id, from: secret.sealed },
              target,
            );
      return updated.changes > 0;
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

import { csrPrivateKeyAad } from '../../crypto/csr-private-key-aad.ts';
import { privateKeyAad } from '../../crypto/private-key-aad.ts';
import { webhookSecretAad } from '../../crypto/webhook-secret-aad.ts';
import type { DumpValue } from './database-dump.ts';

/** A column holding the sealer's envelope, and the additional data its row binds it to. */
export interface SealedColumn {
  column: string;
  /** What the envelope holds: a PKCS#8 private key, or a raw secret (a webhook's signing key). */
  holds: 'privateKey' | 'secret';
  aad(row: Readonly<Record<string, DumpValue>>): string;
}

/**
 * Every column of the schema that holds a sealed private key or secret (a `sealed_*` column), by table. A
 * restore unseals one value per master key from these before it writes anything; a test fails
 * when the schema gains a `sealed_*` column this list does not name.
 */
export const SEALED_COLUMNS: Readonly<Record<string, SealedColumn>> = {
  keys: {
    column: 'sealed_private_key',
    holds: 'privateKey',
    aad: (row) => privateKeyAad(String(row.key_set_id), String(row.kid)),
  },
  idp_csrs: {
    column: 'sealed_private_key',
    holds: 'privateKey',
    aad: (row) => csrPrivateKeyAad(String(row.tenant_id), String(row.idp_id), String(row.id)),
  },
  // previous_sealed_secret (a rotated-out secret in its grace period) is sealed the same way.
  webhooks: {
    column: 'sealed_secret',
    holds: 'secret',
    aad: (row) => webhookSecretAad(String(row.id)),
  },
};

/** The master key id a sealer envelope (`sgk1.{masterKeyId}.{iv}.{ciphertext}.{tag}`) names, or null for another value. */
export function sealedMasterKeyId(value: DumpValue): string | null {
  if (typeof value !== 'string' || !value.startsWith('sgk1.')) return null;
  return value.split('.')[1] ?? null;
}

import { SignetError } from '../../errors.ts';
import { keySetParams, toKeySet, type KeySetRow } from '../rows.ts';
import type { KeySetFilter, StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';
import { selectWhere } from './select-where.ts';

/** The reads and writes of key sets, and the key set lock of a transaction. */
export function keySetSql({ session, dialect, write, insert }: SqlContext) {
  const reads = {
    async getKeySet(id) {
      const row = await session.get<KeySetRow>('SELECT * FROM key_sets WHERE id = :id', { id });
      return row && toKeySet(row);
    },

    async listKeySets(filter: KeySetFilter) {
      const columns = { tenant_id: filter.tenantId, owner_type: filter.ownerType, owner_id: filter.ownerId };
      return (await selectWhere<KeySetRow>(session, 'key_sets', columns, 'created_at, id')).map(toKeySet);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    // PostgreSQL takes the row lock, which serialises rotations, revocations and scheduled
    // transitions of one key set across every instance; on SQLite the transaction's write lock does.
    async lockKeySet(id) {
      const row = await session.get<KeySetRow>(`SELECT * FROM key_sets WHERE id = :id${dialect.lockRow}`, { id });
      return row && toKeySet(row);
    },

    async insertKeySet(keySet) {
      await insert('key_sets', keySetParams(keySet), {
        label: `key set ${keySet.id}`,
        details: { keySetId: keySet.id },
      });
    },

    // The owner, algorithm and creation time identify a key set; only its policy, modulus length
    // (for keys generated from now on) and updatedAt change.
    async updateKeySet(keySet) {
      const details = { keySetId: keySet.id };
      const updated = await write(
        `UPDATE key_sets SET rsa_modulus_length = :rsa_modulus_length, mode = :mode,
          rotation_period_seconds = :rotation_period_seconds, jwks_max_age_seconds = :jwks_max_age_seconds,
          clock_skew_seconds = :clock_skew_seconds, max_token_lifetime_seconds = :max_token_lifetime_seconds,
          draining_period_seconds = :draining_period_seconds, certificate_validity_seconds = :certificate_validity_seconds,
          certificate_renew_before_seconds = :certificate_renew_before_seconds,
          readiness_window_seconds = :readiness_window_seconds, readiness_gate_percent = :readiness_gate_percent,
          readiness_gate_max_wait_seconds = :readiness_gate_max_wait_seconds,
          jwks_cache_horizon_at = :jwks_cache_horizon_at, updated_at = :updated_at
         WHERE id = :id`,
        keySetParams(keySet),
        { label: `key set ${keySet.id}`, details },
      );
      if (updated.changes === 0)
        throw new SignetError('ERR_KEY_SET_NOT_FOUND', `key set ${keySet.id} not found`, details);
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

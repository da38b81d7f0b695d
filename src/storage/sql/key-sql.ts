import { SignetError } from '../../errors.ts';
import type { KeyState } from '../../domain/types.ts';
import { keyParams, toKey, type KeyRow, type Params } from '../rows.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';

/** The reads and writes of keys. */
export function keySql({ session, write, insert }: SqlContext) {
  const reads = {
    async listKeys(keySetId, states?: readonly KeyState[]) {
      if (states?.length === 0) return [];
      const params: Params = { key_set_id: keySetId };
      // One parameter per state (at most the five states), so both engines read the same IN list.
      states?.forEach((state, index) => {
        params[`state_${index}`] = state;
      });
      const stateFilter = states ? ` AND state IN (${states.map((_, index) => `:state_${index}`).join(', ')})` : '';
      const rows = await session.all<KeyRow>(
        `SELECT * FROM keys WHERE key_set_id = :key_set_id${stateFilter} ORDER BY created_at, kid`,
        params,
      );
      return rows.map(toKey);
    },

    async getKey(keySetId, kid) {
      const row = await session.get<KeyRow>('SELECT * FROM keys WHERE key_set_id = :key_set_id AND kid = :kid', {
        key_set_id: keySetId,
        kid,
      });
      return row && toKey(row);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async insertKey(key) {
      await insert('keys', keyParams(key), {
        label: `key ${key.kid} in key set ${key.keySetId}`,
        details: { keySetId: key.keySetId, kid: key.kid },
        key,
      });
    },

    async updateKey(key) {
      const details = { keySetId: key.keySetId, kid: key.kid };
      const updated = await write(
        `UPDATE keys SET state = :state, certificate_der = :certificate_der, certificate_issuer = :certificate_issuer,
          certificate_not_before = :certificate_not_before, certificate_not_after = :certificate_not_after,
          activated_at = :activated_at, draining_since = :draining_since, retire_at = :retire_at,
          retired_at = :retired_at, revoked_at = :revoked_at,
          token_lifetime_ceiling_seconds = :token_lifetime_ceiling_seconds
         WHERE key_set_id = :key_set_id AND kid = :kid`,
        keyParams(key),
        { label: `key ${key.kid} in key set ${key.keySetId}`, details, key },
      );
      if (updated.changes === 0) throw new SignetError('ERR_KEY_NOT_FOUND', `key ${key.kid} not found`, details);
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

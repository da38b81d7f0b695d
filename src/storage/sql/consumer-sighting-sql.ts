import type { ConsumerSighting } from '../../domain/types.ts';
import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';

interface SightingRow {
  key_set_id: string;
  consumer_key: string;
  name: string | null;
  address: string;
  user_agent: string;
  first_seen_at: number;
  last_fetch_at: number;
  fetch_count: number;
  next_kid_seen: string | null;
}

function toSighting(row: SightingRow): ConsumerSighting {
  return {
    keySetId: row.key_set_id,
    consumerKey: row.consumer_key,
    name: row.name,
    address: row.address,
    userAgent: row.user_agent,
    firstSeenAt: row.first_seen_at,
    lastFetchAt: row.last_fetch_at,
    fetchCount: row.fetch_count,
    nextKidSeen: row.next_kid_seen,
  };
}

/** The reads and writes of JWKS consumer sightings (verifier readiness), one row per instance and consumer. */
export function consumerSightingSql({ session, write }: SqlContext) {
  const reads = {
    async listConsumerSightings(keySetId, since) {
      const rows = await session.all<SightingRow>(
        `SELECT key_set_id, consumer_key, name, address, user_agent, first_seen_at, last_fetch_at, fetch_count, next_kid_seen
         FROM jwks_consumers WHERE key_set_id = :key_set_id AND last_fetch_at >= :since
         ORDER BY first_seen_at, consumer_key`,
        { key_set_id: keySetId, since },
      );
      return rows.map(toSighting);
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async putConsumerSightings(instanceId, sightings) {
      // An instance's counts only grow, so its latest row replaces its previous one.
      for (const sighting of sightings) {
        await write(
          `INSERT INTO jwks_consumers (instance_id, key_set_id, consumer_key, name, address, user_agent,
             first_seen_at, last_fetch_at, fetch_count, next_kid_seen)
           VALUES (:instance_id, :key_set_id, :consumer_key, :name, :address, :user_agent,
             :first_seen_at, :last_fetch_at, :fetch_count, :next_kid_seen)
           ON CONFLICT (instance_id, key_set_id, consumer_key) DO UPDATE SET
             last_fetch_at = excluded.last_fetch_at, fetch_count = excluded.fetch_count,
             next_kid_seen = excluded.next_kid_seen`,
          {
            instance_id: instanceId,
            key_set_id: sighting.keySetId,
            consumer_key: sighting.consumerKey,
            name: sighting.name,
            address: sighting.address,
            user_agent: sighting.userAgent,
            first_seen_at: sighting.firstSeenAt,
            last_fetch_at: sighting.lastFetchAt,
            fetch_count: sighting.fetchCount,
            next_kid_seen: sighting.nextKidSeen,
          },
          { label: `consumer sightings of key set ${sighting.keySetId}`, details: { keySetId: sighting.keySetId } },
        );
      }
    },

    async pruneConsumerSightings(before) {
      await write(
        'DELETE FROM jwks_consumers WHERE last_fetch_at < :before',
        { before },
        { label: 'consumer sightings', details: {} },
      );
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

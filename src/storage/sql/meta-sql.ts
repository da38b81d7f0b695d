import type { StoreReader, StoreTx } from '../store.ts';
import type { SqlContext } from './create-sql-context.ts';

/** The reads and writes of the meta table (named values such as the bootstrap marker). */
export function metaSql({ session, write }: SqlContext) {
  const reads = {
    async getMeta(name) {
      return (await session.get<{ value: string }>('SELECT value FROM meta WHERE name = :name', { name }))?.value;
    },
  } satisfies Partial<StoreReader>;

  const writes = {
    async setMeta(name, value) {
      await write(
        'INSERT INTO meta (name, value) VALUES (:name, :value) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
        { name, value },
        { label: `meta ${name}`, details: { name } },
      );
    },
  } satisfies Partial<StoreTx>;

  return { reads, writes };
}

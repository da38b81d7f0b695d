/**
 * A schema change: `id` is its dated file name, `sql` runs once in a transaction. Each adapter
 * keeps its own SQL under the same ids, so a database of either kind records the same history.
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/**
 * The migrations of `migrations` not yet in `applied`, in id order whatever order the list names
 * them in (ids are dated, so id order is the order they were written). Throws when the database
 * records a migration this version does not know (a newer Signet migrated it, and this one may
 * misread its data) or the list names an id twice.
 */
export function pendingMigrations(migrations: readonly Migration[], applied: Iterable<string>): Migration[] {
  const known = new Set(migrations.map((migration) => migration.id));
  if (known.size !== migrations.length) throw new Error('two migrations share an id');
  const done = new Set(applied);
  for (const id of done) {
    if (!known.has(id)) throw new Error(`the database has migration ${id}, which this version of Signet does not know`);
  }
  return migrations
    .filter((migration) => !done.has(migration.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

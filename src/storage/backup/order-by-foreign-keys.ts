import type { DumpTable } from './database-dump.ts';

/**
 * `tables` ordered so each comes after every table its foreign keys reference (`references` maps
 * a table to those it references), names breaking ties, so a restore can insert table by table
 * with every constraint checked as it goes. Throws on a cycle, which the schema never has.
 */
export function orderByForeignKeys(tables: readonly DumpTable[], references: ReadonlyMap<string, readonly string[]>) {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: DumpTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`the foreign keys of table ${name} form a cycle`);
    state.set(name, 'visiting');
    for (const target of [...(references.get(name) ?? [])].sort()) {
      if (target !== name && byName.has(target)) visit(target);
    }
    state.set(name, 'done');
    ordered.push(byName.get(name)!);
  };
  for (const name of [...byName.keys()].sort()) visit(name);
  return ordered;
}

/** A table or column name as an SQL identifier, the same in SQLite and PostgreSQL (SQL:2016 §5.2). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Returns `prepare(sql)`, which compiles each distinct SQL string once per connection. The cache is
 * unbounded on purpose: the adapter's SQL strings are a small fixed set (filters vary only in which
 * conditions are present), never built from values.
 */
export function createStatementCache(db: DatabaseSync): (sql: string) => StatementSync {
  const statements = new Map<string, StatementSync>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

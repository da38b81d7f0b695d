import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { compileStatement, type CompiledStatement } from '../sql/compile-statement.ts';
import { sqliteDialect } from './sqlite-dialect.ts';

/** A statement prepared on the connection, with how to bind its named parameters. */
export interface PreparedStatement {
  statement: StatementSync;
  compiled: CompiledStatement;
}

/**
 * Returns `prepare(sql)`, which compiles and prepares each distinct SQL string once per connection.
 * The cache is unbounded on purpose: the adapter's SQL strings are a small fixed set (filters vary
 * only in which conditions are present), never built from values.
 */
export function createStatementCache(db: DatabaseSync): (sql: string) => PreparedStatement {
  const statements = new Map<string, PreparedStatement>();
  return (sql) => {
    let prepared = statements.get(sql);
    if (!prepared) {
      const compiled = compileStatement(sql, sqliteDialect.placeholders);
      prepared = { statement: db.prepare(compiled.text), compiled };
      statements.set(sql, prepared);
    }
    return prepared;
  };
}

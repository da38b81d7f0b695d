import type { Params } from '../rows.ts';

/** A statement in the engine's placeholder syntax and how to bind its named parameters. */
export interface CompiledStatement {
  /** The SQL with `?` (SQLite) or `$1, $2, ...` (PostgreSQL) in place of each `:name`. */
  readonly text: string;
  /** Whether the statement gives rows back from a write (RETURNING), so SQLite must step it with all(). */
  readonly returnsRows: boolean;
  /** The positional values of `params`, in placeholder order. */
  bind(params: Params): (string | number | null)[];
}

/**
 * How an engine writes placeholders: `question` repeats `?` for each occurrence (node:sqlite binds
 * them in order), `numbered` writes `$n` once per name (PostgreSQL reuses a number).
 */
export type PlaceholderStyle = 'question' | 'numbered';

// `:name`, not the second colon of a `::type` cast.
const NAMED_PARAMETER = /(?<!:):([a-z_][a-z0-9_]*)/g;
const RETURNING = /\bRETURNING\b/i;

/**
 * Rewrites the `:name` parameters of a statement written once for every engine into the engine's
 * placeholders. Each session caches the result per SQL text (SQLite with its prepared statement),
 * so this runs once per distinct statement.
 */
export function compileStatement(sql: string, style: PlaceholderStyle): CompiledStatement {
  const names: string[] = [];
  const text = sql.replace(NAMED_PARAMETER, (_match, name: string) => {
    if (style === 'question') {
      names.push(name);
      return '?';
    }
    let position = names.indexOf(name) + 1;
    if (position === 0) position = names.push(name);
    return `$${position}`;
  });
  return {
    text,
    returnsRows: RETURNING.test(sql),
    bind(params) {
      return names.map((name) => {
        const value = params[name];
        // A typo in a parameter name must fail loudly, not bind NULL.
        if (value === undefined) throw new Error(`no value for SQL parameter :${name}`);
        return value;
      });
    },
  };
}

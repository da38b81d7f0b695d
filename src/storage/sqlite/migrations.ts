import * as initial from './migrations/2026-11-21-initial.ts';
import * as identityProviders from './migrations/2026-11-22-identity-providers.ts';

/** A schema change: `id` is its dated file name, `sql` runs once in its own transaction. */
export interface SqliteMigration {
  readonly id: string;
  readonly sql: string;
}

/** Every migration, oldest first; append new ones, never edit or reorder applied ones. */
export const sqliteMigrations: readonly SqliteMigration[] = [initial, identityProviders];

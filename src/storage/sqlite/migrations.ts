import type { Migration } from '../migration.ts';
import * as initial from './migrations/2026-11-21-initial.ts';

/** Every migration, oldest first; append new ones, never edit or reorder applied ones. */
export const sqliteMigrations: readonly Migration[] = [initial];

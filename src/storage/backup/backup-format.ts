import type { DumpTable, DumpValue } from './database-dump.ts';

/** The `format` member of every Signet backup's first line. */
export const BACKUP_FORMAT = 'signet-backup';

/** The layout version this Signet writes and reads; a reader refuses any other. */
export const BACKUP_FORMAT_VERSION = 1;

/**
 * A backup is JSON lines (gzip-compressed when its name ends in `.gz`): this header, one `RowLine`
 * per row, table by table, then a `TrailerLine` that ends it.
 */
export interface HeaderLine {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** ISO 8601 time the snapshot was taken. */
  createdAt: string;
  /** The engine it was taken from (informational: a backup restores into either). */
  engine: 'sqlite' | 'postgres';
  /** The ids of the migrations applied to the source: its schema version. */
  schema: string[];
  tables: DumpTable[];
}

/** One row: `t` its table, `r` its values in the order of the header's columns for that table. */
export interface RowLine {
  t: string;
  r: DumpValue[];
}

/**
 * The last line. `sha256` (hex) covers every byte before this line: a restore recomputes it, so a
 * truncated, spliced or accidentally altered file is refused before anything is written. It is a
 * digest, not a signature: whoever can write the file can recompute it, so it does not stand
 * against deliberate forgery (the sealed keys do: a forged one fails to unseal).
 */
export interface TrailerLine {
  end: {
    rows: Record<string, number>;
    /** Ids of the master keys the sealed private keys need (the keys themselves are never in a backup). */
    masterKeyIds: string[];
    sha256: string;
  };
}

/** Whether `line` is the trailer: the writer puts `end` first, and no row line starts so. */
export function isTrailerLine(line: string): boolean {
  return line.startsWith('{"end":');
}

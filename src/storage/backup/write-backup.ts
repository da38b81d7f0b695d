import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type HeaderLine,
  type RowLine,
  type TrailerLine,
} from './backup-format.ts';
import type { DatabaseDump, SnapshotReader } from './database-dump.ts';
import { SEALED_COLUMNS, sealedMasterKeyId } from './sealed-columns.ts';

/** What a backup wrote, for the command's summary. */
export interface BackupResult {
  file: string;
  schema: string[];
  rows: Record<string, number>;
  masterKeyIds: string[];
  sha256: string;
}

/**
 * Writes one snapshot of every table of `dump` to `file` (gzip when it ends in `.gz`), rows as
 * stored: private keys stay sealed, secrets stay hashed, and no master key is read. The file
 * appears under its name only once complete (written beside it, then renamed), mode 0600.
 */
export async function writeBackup(dump: DatabaseDump, file: string, now: () => number): Promise<BackupResult> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    const result = await dump.snapshot(async (reader) => {
      const header: HeaderLine = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        createdAt: new Date(now()).toISOString(),
        engine: dump.engine,
        schema: await reader.migrations(),
        tables: await reader.tables(),
      };
      let end: TrailerLine['end'] | undefined;
      const lines = Readable.from(
        backupLines(reader, header, (trailer) => {
          end = trailer;
        }),
      );
      const out = createWriteStream(partial, { mode: 0o600, flags: 'wx', flush: true });
      await (file.endsWith('.gz') ? pipeline(lines, createGzip(), out) : pipeline(lines, out));
      return { file, schema: header.schema, ...end! };
    });
    await rename(partial, file);
    return result;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function* backupLines(
  reader: SnapshotReader,
  header: HeaderLine,
  onEnd: (end: TrailerLine['end']) => void,
): AsyncGenerator<string> {
  const hash = createHash('sha256');
  const emit = (line: unknown): string => {
    const text = `${JSON.stringify(line)}\n`;
    hash.update(text);
    return text;
  };
  yield emit(header);
  const rows: Record<string, number> = {};
  const masterKeyIds = new Set<string>();
  for (const table of header.tables) {
    const sealed = SEALED_COLUMNS[table.name];
    const sealedIndex = sealed ? table.columns.indexOf(sealed.column) : -1;
    let count = 0;
    for await (const values of reader.rows(table)) {
      count += 1;
      const id = sealedIndex >= 0 ? sealedMasterKeyId(values[sealedIndex] ?? null) : null;
      if (id !== null) masterKeyIds.add(id);
      yield emit({ t: table.name, r: values } satisfies RowLine);
    }
    rows[table.name] = count;
  }
  const end = { rows, masterKeyIds: [...masterKeyIds].sort(), sha256: hash.digest('hex') };
  onEnd(end);
  yield `${JSON.stringify({ end } satisfies TrailerLine)}\n`;
}

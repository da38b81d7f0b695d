import { createHash } from 'node:crypto';
import type { Sealer } from '../../crypto/create-sealer.ts';
import { isSignetError, SignetError } from '../../errors.ts';
import { isTrailerLine, type RowLine } from './backup-format.ts';
import type { DatabaseDump, DumpTable, DumpValue } from './database-dump.ts';
import { readBackupLines } from './read-backup-lines.ts';
import { verifyBackup, type VerifiedBackup } from './verify-backup.ts';

const BATCH_ROWS = 500;

/** What a restore wrote, for the command's summary. */
export interface RestoreResult {
  schema: string[];
  rows: Record<string, number>;
}

/**
 * Restores the backup `file` into the empty database behind `dump`, in this order so a refusal
 * leaves nothing written: the file's integrity, its schema (no migration this Signet does not
 * know), one unseal per master key under `sealer`, then migrations up to the file's schema, and in
 * one transaction the emptiness check and every row as stored; the migrations the file predates
 * run last, as `signet serve` would run them.
 */
export async function restoreBackup(dump: DatabaseDump, file: string, sealer: Sealer): Promise<RestoreResult> {
  const backup = await verifyBackup(file);
  assertKnownSchema(backup, dump.migrationIds);
  assertUnsealable(backup, sealer);
  const schema = new Set(backup.header.schema);
  const applied = await dump.appliedMigrations();
  // A target already migrated past the file keeps its migrations; its tables must then still fit.
  await dump.migrate(applied.every((id) => schema.has(id)) ? schema : undefined);
  await dump.restore(async (writer) => {
    if (await writer.hasRows()) {
      throw new SignetError(
        'ERR_RESTORE_TARGET_NOT_EMPTY',
        'the target database already holds data; restore only into an empty database',
      );
    }
    const targets = assertSameTables(backup.header.tables, await writer.tables());
    await insertRows(file, backup, targets, writer.insert);
  });
  await dump.migrate();
  return { schema: backup.header.schema, rows: backup.trailer.rows };
}

function assertKnownSchema(backup: VerifiedBackup, known: readonly string[]): void {
  const unknown = backup.header.schema.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new SignetError(
      'ERR_BACKUP_SCHEMA_NEWER',
      `the backup comes from a newer Signet: this version does not know migration ${unknown.join(', ')}`,
      { migrations: unknown },
    );
  }
}

function assertUnsealable(backup: VerifiedBackup, sealer: Sealer): void {
  for (const sample of backup.samples) {
    try {
      // The key is imported and dropped at once: only whether it opens matters.
      if (sample.holds === 'secret') sealer.unsealSecret(sample.sealed, sample.aad).fill(0);
      else sealer.unseal(sample.sealed, sample.aad);
    } catch {
      throw new SignetError(
        'ERR_MASTER_KEY_MISMATCH',
        `the configured master key cannot unseal the keys sealed under master key ${sample.masterKeyId}; give that key (SIGNET_MASTER_KEY or SIGNET_MASTER_KEY_FILE)`,
        { masterKeyId: sample.masterKeyId },
      );
    }
  }
}

/** The target's tables by name, once each table of the file has one with the same columns. */
function assertSameTables(file: readonly DumpTable[], target: readonly DumpTable[]): Map<string, DumpTable> {
  const byName = new Map(target.map((table) => [table.name, table]));
  const missing = target.filter((table) => !file.some((entry) => entry.name === table.name)).map((t) => t.name);
  for (const table of file) {
    const match = byName.get(table.name);
    const same =
      match !== undefined &&
      match.columns.length === table.columns.length &&
      table.columns.every((column) => match.columns.includes(column));
    if (!same || missing.length > 0) {
      throw new SignetError(
        'ERR_BACKUP_INVALID',
        `the backup's table ${same ? missing[0] : table.name} does not match the target database's schema`,
      );
    }
  }
  return byName;
}

async function insertRows(
  file: string,
  backup: VerifiedBackup,
  targets: ReadonlyMap<string, DumpTable>,
  insert: (table: DumpTable, rows: readonly (readonly DumpValue[])[]) => Promise<void>,
): Promise<void> {
  // The file is read a second time; hashing it again catches a change between the two reads.
  const hash = createHash('sha256');
  const fileColumns = new Map(backup.header.tables.map((table) => [table.name, table.columns]));
  let table: string | undefined;
  let batch: DumpValue[][] = [];
  const flush = async () => {
    if (table !== undefined && batch.length > 0) {
      const target = targets.get(table)!;
      const columns = fileColumns.get(table)!;
      // The target's column order may differ from the source's; values follow their names.
      const order = target.columns.map((column) => columns.indexOf(column));
      try {
        await insert(
          target,
          batch.map((values) => order.map((index) => values[index] ?? null)),
        );
      } catch (error) {
        if (isSignetError(error)) throw error;
        // Not the driver's message: a constraint error may quote the row, sealed key and hashes included.
        throw new SignetError(
          'ERR_BACKUP_INVALID',
          `the backup's rows of table ${table} break a constraint of the target schema; nothing was restored`,
          { table },
        );
      }
    }
    batch = [];
  };
  let first = true;
  for await (const line of readBackupLines(file)) {
    if (first) {
      first = false;
      hash.update(`${line}\n`);
      continue;
    }
    if (isTrailerLine(line)) break;
    hash.update(`${line}\n`);
    const row = JSON.parse(line) as RowLine;
    if (row.t !== table || batch.length >= BATCH_ROWS) {
      await flush();
      table = row.t;
    }
    batch.push(row.r);
  }
  await flush();
  if (hash.digest('hex') !== backup.trailer.sha256) {
    throw new SignetError('ERR_BACKUP_INVALID', 'the backup changed while it was being restored');
  }
}

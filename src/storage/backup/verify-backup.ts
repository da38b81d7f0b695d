import { createHash } from 'node:crypto';
import { SignetError } from '../../errors.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type HeaderLine,
  isTrailerLine,
  type RowLine,
  type TrailerLine,
} from './backup-format.ts';
import type { DumpValue } from './database-dump.ts';
import { readBackupLines } from './read-backup-lines.ts';
import { SEALED_COLUMNS, sealedMasterKeyId } from './sealed-columns.ts';

/** One sealed private key of the backup per master key id, with the additional data its row binds it to. */
export interface SealedSample {
  masterKeyId: string;
  sealed: string;
  aad: string;
  holds: 'privateKey' | 'secret';
}

/** A backup that passed its integrity checks. */
export interface VerifiedBackup {
  header: HeaderLine;
  trailer: TrailerLine['end'];
  samples: SealedSample[];
}

function invalid(reason: string): SignetError {
  return new SignetError('ERR_BACKUP_INVALID', `the backup is damaged or incomplete: ${reason}`);
}

function parseLine(line: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw invalid(`line ${number} is not JSON`);
  }
}

function parseHeader(value: unknown): HeaderLine {
  const header = value as Partial<HeaderLine> | null;
  if (header === null || typeof header !== 'object' || header.format !== BACKUP_FORMAT) {
    throw invalid('it does not start with a Signet backup header');
  }
  if (header.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new SignetError(
      'ERR_BACKUP_SCHEMA_NEWER',
      `the backup has format version ${String(header.formatVersion)}; this Signet reads version ${BACKUP_FORMAT_VERSION}`,
    );
  }
  const tablesValid =
    Array.isArray(header.tables) &&
    header.tables.every(
      (table) =>
        typeof table?.name === 'string' &&
        Array.isArray(table.columns) &&
        table.columns.every((column) => typeof column === 'string'),
    );
  if (!tablesValid || !Array.isArray(header.schema) || !header.schema.every((id) => typeof id === 'string')) {
    throw invalid('its header is malformed');
  }
  return header as HeaderLine;
}

function isDumpValue(value: unknown): value is DumpValue {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  return typeof value === 'object' && typeof (value as { base64?: unknown }).base64 === 'string';
}

/**
 * Reads the whole backup once and checks it before a restore writes anything: the header, every
 * row against its table's columns, the trailer's row counts and the SHA-256 over every byte before
 * the trailer (a truncated or altered file fails here), and nothing after the trailer. Collects
 * one sealed key per master key id for the caller's unseal check.
 */
export async function verifyBackup(file: string): Promise<VerifiedBackup> {
  const hash = createHash('sha256');
  let header: HeaderLine | undefined;
  let columnCounts = new Map<string, number>();
  let trailer: TrailerLine['end'] | undefined;
  const counts: Record<string, number> = {};
  const samples = new Map<string, SealedSample>();
  let number = 0;
  for await (const line of readBackupLines(file)) {
    number += 1;
    if (trailer !== undefined) {
      if (line === '') continue;
      throw invalid(`line ${number} follows the end of the backup`);
    }
    const value = parseLine(line, number);
    if (header === undefined) {
      header = parseHeader(value);
      columnCounts = new Map(header.tables.map((table) => [table.name, table.columns.length]));
      hash.update(`${line}\n`);
      continue;
    }
    if (isTrailerLine(line)) {
      trailer = (value as TrailerLine).end;
      continue;
    }
    hash.update(`${line}\n`);
    const row = value as Partial<RowLine>;
    const width = typeof row?.t === 'string' ? columnCounts.get(row.t) : undefined;
    if (width === undefined || !Array.isArray(row.r) || row.r.length !== width || !row.r.every(isDumpValue)) {
      throw invalid(`line ${number} is not a row of a table the header lists`);
    }
    counts[row.t!] = (counts[row.t!] ?? 0) + 1;
    collectSample(header, row as RowLine, samples);
  }
  if (header === undefined) throw invalid('it is empty');
  if (trailer === undefined || typeof trailer !== 'object') throw invalid('it ends before its last line (truncated)');
  if (trailer.sha256 !== hash.digest('hex')) throw invalid('its SHA-256 does not match its content');
  for (const table of header.tables) {
    if ((trailer.rows?.[table.name] ?? 0) !== (counts[table.name] ?? 0)) {
      throw invalid(`table ${table.name} has another number of rows than the trailer records`);
    }
  }
  for (const id of trailer.masterKeyIds ?? []) {
    if (!samples.has(id)) throw invalid(`no sealed key names master key ${id}, which the trailer lists`);
  }
  return { header, trailer, samples: [...samples.values()] };
}

function collectSample(header: HeaderLine, row: RowLine, samples: Map<string, SealedSample>): void {
  const sealed = SEALED_COLUMNS[row.t];
  if (sealed === undefined) return;
  const columns = header.tables.find((table) => table.name === row.t)!.columns;
  const value = row.r[columns.indexOf(sealed.column)] ?? null;
  const masterKeyId = sealedMasterKeyId(value);
  if (masterKeyId === null || samples.has(masterKeyId)) return;
  const record = Object.fromEntries(columns.map((column, index) => [column, row.r[index] ?? null]));
  samples.set(masterKeyId, { masterKeyId, sealed: value as string, aad: sealed.aad(record), holds: sealed.holds });
}

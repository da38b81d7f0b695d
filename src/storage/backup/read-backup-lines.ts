import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SignetError } from '../../errors.ts';

/**
 * The lines of a backup file, gunzipped when it starts with gzip's magic bytes (RFC 1952 §2.3.1),
 * whatever its name. A damaged gzip stream is ERR_BACKUP_INVALID.
 */
export async function* readBackupLines(file: string): AsyncGenerator<string> {
  let gzip = false;
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
      gzip = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new SignetError('ERR_NOT_FOUND', `cannot read the backup ${file}: ${(error as Error).message}`);
  }
  const raw = createReadStream(file);
  const input: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  let failure: Error | undefined;
  raw.on('error', (error) => (failure = error));
  input.on('error', (error) => (failure = error));
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) yield line;
  } catch (error) {
    failure ??= error as Error;
  } finally {
    lines.close();
    raw.destroy();
  }
  if (failure) throw new SignetError('ERR_BACKUP_INVALID', `the backup cannot be read: ${failure.message}`);
}

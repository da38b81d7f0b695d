import { readFile } from 'node:fs/promises';
import { UsageError } from './cli-errors.ts';
import type { CommandContext } from './command.ts';

/** Reads a file argument, or standard input for `-`; an unreadable file is a usage error. */
export async function readInput(context: CommandContext, file: string): Promise<string> {
  if (file === '-') return context.readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

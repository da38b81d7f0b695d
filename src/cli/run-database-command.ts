import { isSignetError } from '../errors.ts';
import { ERROR_TABLE, EXIT_CODES } from '../http/error-table.ts';
import type { CliIo } from './cli-io.ts';

/**
 * Runs a command that works on the database itself (`backup`, `restore`): `--help` prints `usage`,
 * a SignetError or a flag error becomes its message and exit code.
 */
export async function runDatabaseCommand(
  argv: readonly string[],
  io: CliIo,
  usage: string,
  body: () => Promise<void>,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(usage);
    return EXIT_CODES.ok;
  }
  try {
    await body();
    return EXIT_CODES.ok;
  } catch (error) {
    if (isSignetError(error)) {
      io.stderr(`error: ${error.message} (${error.code})\n`);
      return ERROR_TABLE[error.code].exitCode;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`error: ${error.message}\n${usage}`);
      return EXIT_CODES.usage;
    }
    throw error;
  }
}

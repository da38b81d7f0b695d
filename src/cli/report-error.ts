import { EXIT_CODES, exitCodeForStatus } from '../http/error-table.ts';
import type { CliIo } from './cli-io.ts';
import { ApiError, UnreachableError, UsageError } from './cli-errors.ts';

/** Prints `error` to stderr (never the token, which no error carries) and returns its exit code. */
export function reportError(error: unknown, io: CliIo, context: { usage: string; tokenGiven: boolean }): number {
  if (error instanceof UsageError) {
    io.stderr(`error: ${error.message}\n\n${context.usage}`);
    return EXIT_CODES.usage;
  }
  if (error instanceof UnreachableError) {
    io.stderr(`${error.message}\n`);
    return EXIT_CODES.unavailable;
  }
  if (error instanceof ApiError) {
    const lines = [`error: ${error.message} (${error.code})`];
    const earliestSafeAt = error.details?.earliestSafeAt;
    if (typeof earliestSafeAt === 'string') lines.push(`earliest safe time: ${earliestSafeAt}`);
    if (error.status === 401 && !context.tokenGiven) {
      lines.push(
        "hint: no API token was found; pass --token, set SIGNET_TOKEN, or point --data-dir at the server's data directory",
      );
    }
    io.stderr(`${lines.join('\n')}\n`);
    return exitCodeForStatus(error.status);
  }
  io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_CODES.internal;
}

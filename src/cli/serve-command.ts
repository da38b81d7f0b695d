import { loadServeConfig } from '../config/load-config.ts';
import { isSignetError } from '../errors.ts';
import { ERROR_TABLE } from '../http/error-table.ts';
import { startServer } from '../server/start-server.ts';
import type { CliIo } from './cli-io.ts';

const SERVE_USAGE = `usage: signet serve [--port N] [--host ADDR] [--data-dir DIR] [--database-url URL] [--base-url URL] [--log-level LEVEL]

Starts Signet on its embedded SQLite database, or on PostgreSQL with --database-url postgres://...
(several instances may share one database). Every flag has a SIGNET_* variable (SIGNET_PORT,
SIGNET_HOST, SIGNET_DATA_DIR, SIGNET_DATABASE_URL, SIGNET_BASE_URL, SIGNET_LOG_LEVEL); the master key
comes from SIGNET_MASTER_KEY or SIGNET_MASTER_KEY_FILE, else it is generated into the data directory
(on PostgreSQL it must be given, the same to every instance).
On a new database SIGNET_BOOTSTRAP_CLIENT_ID, SIGNET_BOOTSTRAP_CLIENT_SECRET and
SIGNET_BOOTSTRAP_API_TOKEN set the admin credentials. See docs/configuration.md.
`;

/** `signet serve`: runs until SIGTERM or SIGINT, then shuts down gracefully (in-flight requests finish). */
export async function runServe(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  let server;
  try {
    server = await startServer(loadServeConfig(argv, io.env), (line) => io.stderr(`${line}\n`));
  } catch (error) {
    if (isSignetError(error)) {
      io.stderr(`error: ${error.message} (${error.code})\n`);
      return ERROR_TABLE[error.code].exitCode;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.stderr(`error: cannot listen: ${(error as Error).message}\n`);
      return 6;
    }
    throw error;
  }
  const running = server;
  await new Promise<void>((resolve) => {
    let shuttingDown = false;
    const shutdown = (signal: string) => {
      // A repeated signal (an impatient orchestrator) must not cut the drain short.
      if (shuttingDown) return;
      shuttingDown = true;
      running.logger.info({ signal }, 'shutting down: finishing in-flight requests');
      running.stop().then(resolve, (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        resolve();
      });
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });
  running.logger.info('stopped');
  return 0;
}

import cluster from 'node:cluster';
import { loadServeConfig, type ServeConfig } from '../config/load-config.ts';
import { isSignetError } from '../errors.ts';
import { ERROR_TABLE } from '../http/error-table.ts';
import { createWorkerRelay } from '../server/create-worker-relay.ts';
import { runPrimary } from '../server/run-primary.ts';
import { startServer, type RunningServer } from '../server/start-server.ts';
import type { CliIo } from './cli-io.ts';

const SERVE_USAGE = `usage: signet serve [--port N] [--host ADDR] [--data-dir DIR] [--database-url URL] [--base-url URL] [--log-level LEVEL] [--workers N]
                    [--k8s-signer-socket PATH] [--k8s-signer-authorization-server TENANT/SERVER]

Starts Signet on its embedded SQLite database, or on PostgreSQL with --database-url postgres://...
(several instances may share one database). Every flag has a SIGNET_* variable (SIGNET_PORT,
SIGNET_HOST, SIGNET_DATA_DIR, SIGNET_DATABASE_URL, SIGNET_BASE_URL, SIGNET_LOG_LEVEL, SIGNET_WORKERS);
the master key comes from SIGNET_MASTER_KEY or SIGNET_MASTER_KEY_FILE, else it is generated into the
data directory (on PostgreSQL it must be given, the same to every instance).
On a new database SIGNET_BOOTSTRAP_CLIENT_ID, SIGNET_BOOTSTRAP_CLIENT_SECRET and
SIGNET_BOOTSTRAP_API_TOKEN set the admin credentials.
--workers N runs N worker processes sharing the port (node:cluster): the primary migrates and
bootstraps once, relays changes between the workers and replaces one that dies; SIGTERM drains
them all. --k8s-signer-socket PATH also serves Kubernetes' ExternalJWTSigner (kube-apiserver
--service-account-signing-endpoint) on a 0600 Unix socket for TENANT/SERVER (default default/kubernetes,
created with an RS256 key set if missing); see the README. See docs/configuration.md.
`;

/** `signet serve`: runs until SIGTERM or SIGINT, then shuts down gracefully (in-flight requests finish). */
export async function runServe(argv: string[], io: CliIo): Promise<number> {
  try {
    return await serve(argv, io);
  } finally {
    // A worker's IPC channel to the primary would keep it alive after its server has stopped.
    if (cluster.isWorker && process.connected) process.disconnect();
  }
}

async function serve(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  let server: RunningServer;
  const print = (line: string) => io.stderr(`${line}\n`);
  try {
    const config: ServeConfig = loadServeConfig(argv, io.env);
    if (config.workers > 1 && cluster.isPrimary) return await runPrimary(config, print);
    server = cluster.isWorker
      ? await startServer(config, print, {
          worker: { id: cluster.worker!.id, ...(config.databaseUrl ? {} : { relay: createWorkerRelay() }) },
        })
      : await startServer(config, print);
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

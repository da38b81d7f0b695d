import cluster, { type Worker } from 'node:cluster';
import type { ServeConfig } from '../config/load-config.ts';
import { createLogger } from './create-logger.ts';
import { isRelayMessage } from './create-worker-relay.ts';
import { openRuntime, prepareDatabase } from './open-runtime.ts';
import { printBanner } from './start-server.ts';

/** How long the primary waits before replacing a worker that died, so a crash loop cannot spin. */
const RESPAWN_DELAY_MS = 1000;

/**
 * The primary of `signet serve --workers N`: migrates and bootstraps the database and settles the
 * master key once, forks N workers that share the port, relays committed changes between them
 * (SQLite has no notification channel), replaces a worker that dies, and on SIGTERM or SIGINT
 * lets every worker drain and resolves with the exit code once all have exited.
 */
export async function runPrimary(config: ServeConfig, print: (line: string) => void): Promise<number> {
  const logger = createLogger(config.logLevel).child({ role: 'primary' });
  const runtime = await openRuntime(config, logger);
  let boot: Awaited<ReturnType<typeof prepareDatabase>>;
  try {
    boot = await prepareDatabase(runtime, config);
  } finally {
    await runtime.close();
  }

  const workers = new Set<Worker>();
  const listened = new WeakSet<Worker>();
  let stopping = false;
  let failure: number | null = null;
  let announced = false;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  function stopAll(): void {
    stopping = true;
    for (const worker of workers) worker.process.kill('SIGTERM');
    if (workers.size === 0) finish(failure ?? 0);
  }

  function fork(): void {
    const worker = cluster.fork();
    workers.add(worker);
    worker.on('message', (message: unknown) => {
      if (!isRelayMessage(message)) return;
      for (const other of workers) if (other !== worker && other.isConnected()) other.send(message);
    });
    worker.on('listening', (address) => {
      listened.add(worker);
      if (!announced && [...workers].every((w) => listened.has(w)) && workers.size === config.workers) {
        announced = true;
        print(
          `Signet is listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port} (${config.workers} workers)`,
        );
        printBanner(config, boot, print);
      }
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) {
        if (workers.size === 0) finish(failure ?? 0);
        return;
      }
      if (!listened.has(worker)) {
        // A worker that never listened (port taken, bad configuration) would fail again: give up.
        logger.error({ pid: worker.process.pid, code, signal }, 'a worker failed to start; stopping');
        failure = code || 1;
        stopAll();
        return;
      }
      logger.warn({ pid: worker.process.pid, code, signal }, 'a worker exited; starting a replacement');
      setTimeout(() => {
        if (!stopping) fork();
      }, RESPAWN_DELAY_MS).unref();
    });
  }

  let signalled = false;
  const onSignal = (signal: string) => {
    // A repeated signal must not cut the workers' drain short.
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down: draining every worker');
    stopAll();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  for (let i = 0; i < config.workers; i += 1) fork();
  const code = await finished;
  logger.info({ code }, 'stopped');
  return code;
}

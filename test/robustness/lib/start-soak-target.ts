import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKeyText } from '../../../src/crypto/master-key.ts';
import { freePort, spawnSignet, type SpawnedSignet } from '../../helpers/spawn-signet.ts';

export const SOAK_API_TOKEN = 'sgt_soak-admin-token-4f1c9e';
export const SOAK_CLIENT_ID = 'soak-admin';
export const SOAK_CLIENT_SECRET = 'soak-admin-secret-8d2b7a';

/** A real `signet serve` under attack: its address, its database, and everything it ever logged. */
export interface SoakTarget {
  url: string;
  port: number;
  dataDir: string;
  /** The SQLite database file, or null on PostgreSQL. */
  sqlitePath: string | null;
  databaseUrl: string | null;
  masterKey: string;
  current(): SpawnedSignet;
  /** True while the process runs (a crash is the process exiting on its own). */
  alive(): boolean;
  /** Ends the process with SIGKILL, as a power cut would, and waits for it to be gone. */
  kill9(): Promise<void>;
  /** Starts the process again on the same port, data directory and database. */
  restart(): Promise<void>;
  /** stdout and stderr of every process this target ran, in order. */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `signet serve` on loopback with known bootstrap credentials and master key, on SQLite in a
 * fresh data directory or on the PostgreSQL database `databaseUrl`.
 */
export async function startSoakTarget(
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<SoakTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-soak-'));
  const port = await freePort();
  const masterKey = generateMasterKeyText();
  const env = {
    SIGNET_MASTER_KEY: masterKey,
    SIGNET_BOOTSTRAP_API_TOKEN: SOAK_API_TOKEN,
    SIGNET_BOOTSTRAP_CLIENT_ID: SOAK_CLIENT_ID,
    SIGNET_BOOTSTRAP_CLIENT_SECRET: SOAK_CLIENT_SECRET,
    // Every request logged: the secret scan reads the logs, so they should say as much as they can.
    SIGNET_LOG_LEVEL: 'info',
    ...(options.databaseUrl ? { SIGNET_DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  const finished: string[] = [];
  let process = await spawnSignet({ dataDir, port, env });
  const collect = (spawned: SpawnedSignet): void => {
    finished.push(spawned.stdout(), spawned.stderr());
  };
  return {
    url: process.url,
    port,
    dataDir,
    sqlitePath: options.databaseUrl ? null : join(dataDir, 'signet.db'),
    databaseUrl: options.databaseUrl ?? null,
    masterKey,
    current: () => process,
    alive: () => process.process.exitCode === null && process.process.signalCode === null,
    async kill9() {
      process.process.kill('SIGKILL');
      await process.stop();
    },
    async restart() {
      await process.stop();
      collect(process);
      process = await spawnSignet({ dataDir, port, env });
    },
    logs: () => [...finished, process.stdout(), process.stderr()].join('\n'),
    async stop() {
      await process.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKeyText } from '../../src/crypto/master-key.ts';
import { freePort, spawnSignet, type SpawnedSignet } from './spawn-signet.ts';

export const CLUSTER_API_TOKEN = 'sgt_cluster-admin-token';
export const CLUSTER_CLIENT_ID = 'cluster-admin';
export const CLUSTER_CLIENT_SECRET = 'cluster-secret';

/** One `signet serve` of a cluster: its own port and data directory, restartable in place. */
export interface ClusterInstance {
  url: string;
  current(): SpawnedSignet;
  /** Starts the process again on the same port and data directory (after a kill), `env` added. */
  restart(env?: Record<string, string>): Promise<void>;
}

/**
 * Several real `signet serve` processes on one PostgreSQL database, sharing the master key and the
 * bootstrap credentials, each with its own port and data directory; `stop` ends every process.
 */
export async function startSignetCluster(databaseUrl: string, count: number, env: Record<string, string> = {}) {
  const masterKey = generateMasterKeyText();
  const dirs: string[] = [];
  const clusterEnv = {
    SIGNET_DATABASE_URL: databaseUrl,
    SIGNET_MASTER_KEY: masterKey,
    SIGNET_LOG_LEVEL: 'warn',
    SIGNET_BOOTSTRAP_API_TOKEN: CLUSTER_API_TOKEN,
    SIGNET_BOOTSTRAP_CLIENT_ID: CLUSTER_CLIENT_ID,
    SIGNET_BOOTSTRAP_CLIENT_SECRET: CLUSTER_CLIENT_SECRET,
    ...env,
  };
  const start = async (): Promise<ClusterInstance> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-cluster-'));
    dirs.push(dataDir);
    const port = await freePort();
    let process = await spawnSignet({ dataDir, port, env: clusterEnv });
    return {
      url: process.url,
      current: () => process,
      async restart(env = {}) {
        await process.stop();
        process = await spawnSignet({ dataDir, port, env: { ...clusterEnv, ...env } });
      },
    };
  };
  // The first one creates the database; the others start together on it.
  const first = await start();
  const instances = [first, ...(await Promise.all(Array.from({ length: count - 1 }, start)))];
  return {
    instances,
    async stop() {
      await Promise.all(instances.map((instance) => instance.current().stop()));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headers of the cluster's bootstrap admin API token. */
export const clusterAdmin = { authorization: `Bearer ${CLUSTER_API_TOKEN}`, 'content-type': 'application/json' };

/** Basic credentials of the cluster's bootstrap admin client, for the token endpoint. */
export const clusterClientBasic = `Basic ${Buffer.from(`${CLUSTER_CLIENT_ID}:${CLUSTER_CLIENT_SECRET}`).toString('base64')}`;

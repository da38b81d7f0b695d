import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startProcess, type StartedProcess } from './start-process.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Bootstrap credentials the bench gives every Signet it starts (honoured on a new database). */
export const BOOTSTRAP = {
  clientId: 'bench-admin',
  clientSecret: 'bench-admin-secret-0123456789abcdef0123456789',
  apiToken: 'sgt_bench_admin_token_0123456789abcdef0123456789',
};

/** One master key for every data directory of a bench run, so seeded databases can be served. */
export const MASTER_KEY = randomBytes(32).toString('base64url');

/** Limits no bench workload reaches (1e9 a minute); the auth-failure guard keeps its default. */
const BENCH_RATE_LIMITS = {
  SIGNET_RATE_LIMIT_MANAGEMENT_PER_MINUTE: '1000000000',
  SIGNET_RATE_LIMIT_MANAGEMENT_PER_ADDRESS_PER_MINUTE: '1000000000',
  SIGNET_RATE_LIMIT_TOKEN_PER_MINUTE: '1000000000',
  SIGNET_RATE_LIMIT_TOKEN_PER_ADDRESS_PER_MINUTE: '1000000000',
};

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningSignet extends StartedProcess {
  origin: string;
}

/**
 * Starts the real `signet serve` in production settings: the sources run through Node 24's type
 * stripping (there is no build step), log level `warn` (no per-request log lines).
 */
export async function startSignet(options: {
  dataDir: string;
  extraArgs?: string[];
  env?: Record<string, string>;
}): Promise<RunningSignet> {
  const port = await freePort();
  const started = await startProcess({
    cwd: ROOT,
    args: [
      join(ROOT, 'src', 'main.ts'),
      'serve',
      '--port',
      String(port),
      '--data-dir',
      options.dataDir,
      '--log-level',
      'warn',
      ...(options.extraArgs ?? []),
    ],
    env: {
      NODE_ENV: 'production',
      SIGNET_MASTER_KEY: MASTER_KEY,
      SIGNET_BOOTSTRAP_CLIENT_ID: BOOTSTRAP.clientId,
      SIGNET_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.clientSecret,
      SIGNET_BOOTSTRAP_API_TOKEN: BOOTSTRAP.apiToken,
      // One bench client asks for thousands of tokens a second from loopback, which the production
      // defaults refuse: the limiter still runs on every request (its cost is measured), it never refuses.
      ...BENCH_RATE_LIMITS,
      ...options.env,
    },
    ready: (output) => output.includes('Bootstrap admin credentials'),
  });
  return { ...started, origin: `http://127.0.0.1:${port}` };
}

/** Calls Signet's native API as the bootstrap admin and returns the parsed body; throws on an error status. */
export async function nativeApi<T>(origin: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${origin}/signet/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${BOOTSTRAP.apiToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

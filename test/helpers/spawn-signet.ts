import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

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

export interface SpawnedSignet {
  process: ChildProcess;
  url: string;
  /** Everything the process wrote to stderr so far (the banner goes there). */
  stderr(): string;
  /** Everything the process wrote to stdout so far (JSON logs). */
  stdout(): string;
  /** Sends SIGTERM (unless a signal was already sent) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns the real `signet serve` (the same entry as `npm start`), with `args` added, and waits until it listens. */
export async function spawnSignet(options: {
  dataDir: string;
  port: number;
  env?: Record<string, string>;
  args?: string[];
}): Promise<SpawnedSignet> {
  const args = ['serve', '--port', String(options.port), '--data-dir', options.dataDir, ...(options.args ?? [])];
  const child = spawn(process.execPath, [join(ROOT, 'src', 'main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, SIGNET_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`signet did not start within 60 s:\n${stderr}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('Bootstrap admin credentials')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`signet exited with ${code} before listening:\n${stderr}`));
    });
  });
  return {
    process: child,
    url: `http://127.0.0.1:${options.port}`,
    stderr: () => stderr,
    stdout: () => stdout,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && !child.killed) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs the real `signet` CLI and returns its exit code and output. */
export async function runSignetCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'src', 'main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

import { spawn, type ChildProcess } from 'node:child_process';

/** A child process the bench started and will stop. */
export interface StartedProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** True once the process is ready to serve, given everything it printed so far. */
  ready: (output: string) => boolean;
  timeoutMs?: number;
}

/** Spawns `node <args>` (the running Node 24) and waits until it prints that it is ready. */
export async function startProcess(options: StartProcessOptions): Promise<StartedProcess> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.args.join(' ')} did not start in time:\n${output}`)),
      options.timeoutMs ?? 120_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${options.args.join(' ')} exited before it was ready:\n${output}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

import { startProcess, type StartedProcess } from './start-process.ts';

export interface RunningNodeServer extends StartedProcess {
  origin: string;
}

/** Starts one of the bench's own servers (`bench/servers/*.ts`), which prints `ready <port>`. */
export async function startNodeServer(script: string, args: string[]): Promise<RunningNodeServer> {
  const started = await startProcess({ args: [script, ...args], ready: (output) => /ready \d+/.test(output) });
  const port = /ready (\d+)/.exec(started.output())![1];
  return { ...started, origin: `http://127.0.0.1:${port}` };
}

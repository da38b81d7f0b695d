import autocannon from 'autocannon';
import { processCpuMs } from './process-cpu.ts';
import { percentile } from './stats.ts';

export interface LoadOptions {
  /** Origin, e.g. http://127.0.0.1:8080. */
  origin: string;
  /** The path of every request, or one picked at random per request when there are several. */
  paths: readonly string[];
  /**
   * Pick the path per request even when there is one, so that runs with one path and with many
   * cost the load generator the same (autocannon rebuilds a request that setupRequest touches).
   */
  pickPathPerRequest?: boolean;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /** The server process whose CPU time is read before and after. */
  pid: number;
  /** The status every response should have; any other is counted as unexpected. */
  expectStatus: number;
}

/** One bounded run of the load generator against one server. */
export interface LoadResult {
  requestsPerSecond: number;
  /** Server CPU time (user + system, every thread) per expected response, in microseconds. */
  cpuUsPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  unexpected: number;
}

/** Drives `options.origin` with autocannon for a fixed time and reads the server's CPU time around it. */
export async function driveLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let expected = 0;
  let unexpected = 0;
  const { paths } = options;
  const requests =
    paths.length === 1 && !options.pickPathPerRequest
      ? undefined
      : [
          {
            setupRequest: (request: { path?: string }) => ({
              ...request,
              path: paths[Math.floor(Math.random() * paths.length)],
            }),
          },
        ];
  const cpuBefore = processCpuMs(options.pid);
  const started = process.hrtime.bigint();
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${options.origin}${paths[0]}`,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.body !== undefined ? { body: options.body } : {}),
        connections: options.connections,
        duration: options.durationSeconds,
        ...(requests ? { requests } : {}),
      } as autocannon.Options,
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
  });
  instance!.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === options.expectStatus) {
      expected += 1;
      latencies.push(responseTime);
    } else {
      unexpected += 1;
    }
  });
  const result = await finished;
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuMs = processCpuMs(options.pid) - cpuBefore;
  unexpected += result.errors + result.timeouts;
  return {
    requestsPerSecond: expected / Math.min(elapsedSeconds, result.duration || elapsedSeconds),
    cpuUsPerRequest: expected > 0 ? (cpuMs * 1000) / expected : Number.NaN,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    responses: expected,
    unexpected,
  };
}

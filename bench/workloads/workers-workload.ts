import { cpus } from 'node:os';
import { join } from 'node:path';
import { driveLoad, type LoadResult } from '../lib/drive-load.ts';
import { BOOTSTRAP, startSignet } from '../lib/start-signet.ts';
import { processTreeCpuMs } from '../lib/process-cpu.ts';
import { spread } from '../lib/stats.ts';
import type { ServeCapabilities } from './serve-capabilities.ts';
import { notMeasured, ratio, type BenchContext, type WorkloadResult } from './types.ts';

const ID = 'workers';
const TITLE = '`--workers 2` vs 1, RS256 tokens';
const METHOD =
  'RS256 client_credentials tokens/s from `signet serve --workers 1` and `--workers 2` on the same database, in turn within each run.';

/** RS256 token throughput with two worker processes against one. */
export async function runWorkersWorkload(
  context: BenchContext,
  capabilities: ServeCapabilities,
): Promise<WorkloadResult> {
  if (!capabilities.workers) {
    return notMeasured(
      ID,
      TITLE,
      METHOD,
      '`signet serve --help` lists no `--workers` option in this build (the scale-out work adds it)',
      [['workers 2 / workers 1, tokens/s', { op: '>=', value: 1.6 }, 'x']],
    );
  }
  context.log('workers: RS256 tokens with --workers 1 and 2');
  const dataDir = join(context.tmpDir, 'workers');
  const authorization = `Basic ${Buffer.from(`${BOOTSTRAP.clientId}:${BOOTSTRAP.clientSecret}`).toString('base64')}`;
  const runs = new Map<number, LoadResult[]>([
    [1, []],
    [2, []],
  ]);
  // Cores Signet used (the primary and its workers), and those the load generator (this process) took, per run.
  const busyCores = new Map<number, number[]>([
    [1, []],
    [2, []],
  ]);
  const generatorCores = new Map<number, number[]>([
    [1, []],
    [2, []],
  ]);
  const { settings } = context;
  for (let run = 0; run < settings.runs; run += 1) {
    for (const workers of [1, 2]) {
      const signet = await startSignet({ dataDir, extraArgs: ['--workers', String(workers)] });
      try {
        const options = {
          origin: signet.origin,
          pid: signet.pid,
          paths: ['/oauth/token'],
          method: 'POST' as const,
          body: 'grant_type=client_credentials',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
          expectStatus: 200,
          connections: settings.connections,
        };
        if (settings.warmupSeconds > 0) await driveLoad({ ...options, durationSeconds: settings.warmupSeconds });
        const busyBefore = processTreeCpuMs(signet.pid);
        const ownBefore = process.cpuUsage();
        const started = performance.now();
        const result = await driveLoad({ ...options, durationSeconds: settings.durationSeconds });
        const elapsedMs = performance.now() - started;
        const own = process.cpuUsage(ownBefore);
        runs.get(workers)!.push(result);
        busyCores.get(workers)!.push((processTreeCpuMs(signet.pid) - busyBefore) / elapsedMs);
        generatorCores.get(workers)!.push((own.user + own.system) / 1000 / elapsedMs);
        context.log(`  workers ${workers} run ${run + 1}: ${result.requestsPerSecond.toFixed(0)} tokens/s`);
      } finally {
        await signet.stop();
      }
    }
  }
  const one = runs.get(1)!;
  const two = runs.get(2)!;
  return {
    id: ID,
    title: TITLE,
    status: 'measured',
    method: `${METHOD} The load generator shares the machine's cores with the workers.`,
    figures: [
      { subject: '--workers 1', metric: 'tokens/s', unit: '/s', ...spread(one.map((r) => r.requestsPerSecond)) },
      { subject: '--workers 2', metric: 'tokens/s', unit: '/s', ...spread(two.map((r) => r.requestsPerSecond)) },
      ...[1, 2].flatMap((workers) => [
        {
          subject: `--workers ${workers}`,
          metric: 'Signet cores busy',
          unit: 'cores',
          ...spread(busyCores.get(workers)!),
        },
        {
          subject: `--workers ${workers}`,
          metric: 'load generator cores',
          unit: 'cores',
          ...spread(generatorCores.get(workers)!),
        },
      ]),
    ],
    ratios: [
      ratio(
        'workers 2 / workers 1, tokens/s',
        two.map((r, i) => r.requestsPerSecond / one[i]!.requestsPerSecond),
        { op: '>=', value: 1.6 },
      ),
    ],
    notes: [workersNote(spread(busyCores.get(1)!).median, spread(generatorCores.get(1)!).median)],
  };
}

/**
 * Why a second worker adds what it adds: tokens/s can grow at most as far as the cores left beside
 * the load generator exceed what one worker already used (at the same CPU per token).
 */
function workersNote(oneWorkerCores: number, generatorCores: number): string {
  const cores = cpus().length;
  const bound = (cores - generatorCores) / oneWorkerCores;
  const used = `with --workers 1 Signet kept ${oneWorkerCores.toFixed(2)} of the ${cores} cores busy and the load generator ${generatorCores.toFixed(2)}`;
  if (oneWorkerCores + generatorCores < 0.9 * cores)
    return `Other work shared the machine during these runs: ${used}, so the cores a second worker could have used were not free and this ratio says little about --workers.`;
  return `Each worker signs RSA on libuv's thread pool, so one worker is not limited to one core: ${used}. At the same CPU per token a second worker can add only the remaining cores, which bounds workers 2 / workers 1 near ${bound.toFixed(2)}x on this machine; --workers pays off where there are more cores than one process's event loop and thread pool fill.`;
}

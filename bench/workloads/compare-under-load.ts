import { setTimeout as sleep } from 'node:timers/promises';
import { driveLoad, type LoadOptions, type LoadResult } from '../lib/drive-load.ts';
import { processTreeCpuMs } from '../lib/process-cpu.ts';
import type { BenchContext } from './types.ts';

/** One server under one request shape. */
export interface Subject extends Omit<LoadOptions, 'connections' | 'durationSeconds'> {
  name: string;
}

/**
 * Drives every subject in turn, `runs` times, after a warm-up of each; taking turns within a run
 * keeps the machine's drift out of the ratios, and every other run goes in reverse order so that no
 * subject always runs first, just after the heaviest one (whose garbage the load generator, in this
 * process, collects during the next run). Before the next subject starts, the one just driven is
 * let settle (its own collection and clean-up) until it idles. Returns each subject's runs in order.
 */
export async function compareUnderLoad(
  context: BenchContext,
  label: string,
  subjects: readonly Subject[],
): Promise<Map<string, LoadResult[]>> {
  const { settings } = context;
  const results = new Map<string, LoadResult[]>(subjects.map((subject) => [subject.name, []]));
  for (const subject of settings.warmupSeconds > 0 ? subjects : []) {
    await driveLoad({ ...subject, connections: settings.connections, durationSeconds: settings.warmupSeconds });
  }
  for (let run = 0; run < settings.runs; run += 1) {
    for (const subject of run % 2 === 0 ? subjects : [...subjects].reverse()) {
      const result = await driveLoad({
        ...subject,
        connections: settings.connections,
        durationSeconds: settings.durationSeconds,
      });
      if (result.unexpected > 0)
        context.log(
          `  ${label} ${subject.name}: ${result.unexpected} responses with another status than ${subject.expectStatus}`,
        );
      if (result.responses === 0)
        throw new Error(`${label} ${subject.name}: no response with status ${subject.expectStatus}`);
      results.get(subject.name)!.push(result);
      await settle(subject.pid);
      context.log(
        `  ${label} run ${run + 1} ${subject.name}: ${result.requestsPerSecond.toFixed(0)}/s, ${result.cpuUsPerRequest.toFixed(1)} µs CPU, p99 ${result.p99Ms.toFixed(2)} ms`,
      );
    }
  }
  return results;
}

/** Per-run ratio `a[i] / b[i]` of a figure. */
export function perRun(a: readonly LoadResult[], b: readonly LoadResult[], pick: (r: LoadResult) => number): number[] {
  return a.map((result, i) => pick(result) / pick(b[i]!));
}

/** CPU the process may still use in a 100 ms window and count as idle (clock ticks are 10 ms). */
const IDLE_MS_PER_WINDOW = 10;

/**
 * Waits until the process tree of `pid` used at most IDLE_MS_PER_WINDOW of CPU over 100 ms (at most
 * 3 s), and gives the load generator's own garbage a collection when the bench runs with --expose-gc.
 */
async function settle(pid: number | undefined): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  if (pid === undefined) return;
  for (let waited = 0; waited < 3000; waited += 100) {
    const before = processTreeCpuMs(pid);
    await sleep(100);
    if (processTreeCpuMs(pid) - before <= IDLE_MS_PER_WINDOW) return;
  }
}

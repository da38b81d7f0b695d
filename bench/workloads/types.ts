import type { LoadResult } from '../lib/drive-load.ts';
import { spread, type Spread } from '../lib/stats.ts';

/** Settings of one bench run (full or quick). */
export interface BenchSettings {
  quick: boolean;
  /** Measured runs per subject; the subjects of a workload take turns within each run. */
  runs: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  tenantCounts: number[];
  rotations: number;
  rotationSpacingMs: number;
  rotationRsaBits: 2048 | 3072 | 4096;
  propagationChanges: number;
}

export interface BenchContext {
  settings: BenchSettings;
  /** Scratch space for data directories, removed at the end. */
  tmpDir: string;
  log(line: string): void;
}

/** A target from the issue: `value op target`, e.g. `>= 0.8`. */
export interface Target {
  op: '>=' | '<=' | '<';
  value: number;
}

/** A ratio computed within each run, summarised over the runs; `met` judges the median. */
export interface Ratio extends Spread {
  name: string;
  unit: string;
  target: Target | null;
  met: boolean | null;
}

/** An absolute figure of one subject (Signet or a peer), summarised over the runs. */
export interface Figure extends Spread {
  subject: string;
  metric: string;
  unit: string;
}

export interface WorkloadResult {
  id: string;
  title: string;
  status: 'measured' | 'not measured';
  reason?: string;
  /** How it was measured, in a sentence or two (shown in RESULTS.md). */
  method: string;
  figures: Figure[];
  ratios: Ratio[];
  notes: string[];
}

/** Judges a value against a target. */
export function meets(value: number, target: Target): boolean {
  if (!Number.isFinite(value)) return false;
  if (target.op === '>=') return value >= target.value;
  if (target.op === '<=') return value <= target.value;
  return value < target.value;
}

/** A ratio over runs: `values[i]` was computed within run i. */
export function ratio(name: string, values: number[], target: Target | null, unit = 'x'): Ratio {
  const summary = spread(values);
  return { name, unit, ...summary, target, met: target ? meets(summary.median, target) : null };
}

/** The usual figures of a subject under load: requests/s, server CPU per request, p99 latency. */
export function loadFigures(subject: string, runs: readonly LoadResult[], unitName = 'requests'): Figure[] {
  return [
    { subject, metric: `${unitName}/s`, unit: '/s', ...spread(runs.map((r) => r.requestsPerSecond)) },
    {
      subject,
      metric: `server CPU per ${unitName.replace(/s$/, '')}`,
      unit: 'µs',
      ...spread(runs.map((r) => r.cpuUsPerRequest)),
    },
    { subject, metric: 'p99 latency', unit: 'ms', ...spread(runs.map((r) => r.p99Ms)) },
  ];
}

/** A workload the running Signet cannot do yet, with the reason. */
export function notMeasured(
  id: string,
  title: string,
  method: string,
  reason: string,
  ratioNames: Array<[string, Target, string]>,
): WorkloadResult {
  return {
    id,
    title,
    status: 'not measured',
    reason,
    method,
    figures: [],
    ratios: ratioNames.map(([name, target, unit]) => ({
      name,
      unit,
      median: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      target,
      met: null,
    })),
    notes: [],
  };
}

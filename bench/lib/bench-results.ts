import type { MachineFacts } from './machine-facts.ts';
import type { BenchSettings, WorkloadResult } from '../workloads/types.ts';

/** Everything one `npm run bench` measured; written to results.json. */
export interface BenchResults {
  generatedAt: string;
  mode: 'full' | 'quick';
  settings: BenchSettings;
  machine: MachineFacts;
  elapsedSeconds: number;
  workloads: WorkloadResult[];
}

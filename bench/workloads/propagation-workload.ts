import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nativeApi, startSignet, type RunningSignet } from '../lib/start-signet.ts';
import { percentile } from '../lib/stats.ts';
import type { ServeCapabilities } from './serve-capabilities.ts';
import { notMeasured, ratio, type BenchContext, type WorkloadResult } from './types.ts';

const ID = 'propagation';
const TITLE = 'Propagation across 3 instances on PostgreSQL';
const METHOD =
  'Three `signet serve --database-url` instances on one embedded PostgreSQL; a forced rotation of an ES256 key set on the first, then the JWKS of the other two polled every 2 ms until their ETag changes. Time from sending the rotation to the last instance serving the new JWKS (an upper bound of commit-to-served).';
const TARGET: [string, { op: '<'; value: number }, string] = [
  'p99 commit to all instances serving',
  { op: '<', value: 1000 },
  'ms',
];

interface PostgresHelper {
  startPostgres(): Promise<{ url: string; stop(): Promise<void> }>;
}

async function etagOf(origin: string, path: string): Promise<string | null> {
  const response = await fetch(`${origin}${path}`);
  await response.arrayBuffer();
  return response.ok ? response.headers.get('etag') : null;
}

/** Waits until every instance serves an ETag other than `before` at `path`; returns when the last one did. */
async function waitForChange(
  instances: readonly RunningSignet[],
  path: string,
  before: string | null,
  deadline: number,
): Promise<number> {
  let last = 0;
  await Promise.all(
    instances.map(async (instance) => {
      while ((await etagOf(instance.origin, path)) === before) {
        if (performance.now() > deadline) throw new Error(`${instance.origin} did not serve the change in time`);
        await sleep(2);
      }
      last = Math.max(last, performance.now());
    }),
  );
  return last;
}

/** p99 from a change committed on one instance to every instance serving it. */
export async function runPropagationWorkload(
  context: BenchContext,
  capabilities: ServeCapabilities,
): Promise<WorkloadResult> {
  if (!capabilities.postgresHelper) {
    return notMeasured(
      ID,
      TITLE,
      METHOD,
      'this build has no PostgreSQL storage (no test/helpers/postgres-server.ts; the PostgreSQL work adds it)',
      [TARGET],
    );
  }
  const helper = (await import(capabilities.postgresHelper)) as PostgresHelper;
  const postgres = await helper.startPostgres();
  const instances: RunningSignet[] = [];
  try {
    for (let i = 0; i < 3; i += 1) {
      const dataDir = join(context.tmpDir, `propagation-${i}`);
      mkdirSync(dataDir, { recursive: true });
      try {
        instances.push(await startSignet({ dataDir, extraArgs: ['--database-url', postgres.url] }));
      } catch (error) {
        return notMeasured(
          ID,
          TITLE,
          METHOD,
          `signet serve --database-url did not start: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`,
          [TARGET],
        );
      }
    }
    context.log(`propagation: ${context.settings.propagationChanges} rotations on instance 1, observed on 2 and 3`);
    const [writer, ...readers] = instances as [RunningSignet, ...RunningSignet[]];
    const server = await nativeApi<{ signingKeySetId: string }>(writer.origin, 'POST', '/authorization-servers', {
      id: 'propagation',
      audiences: ['api://propagation'],
      alg: 'ES256',
    });
    const path = '/oauth2/propagation/v1/keys';
    await waitForChange(readers, path, null, performance.now() + 10_000);
    const delays: number[] = [];
    for (let i = 0; i < context.settings.propagationChanges; i += 1) {
      const before = await etagOf(writer.origin, path);
      const sent = performance.now();
      await nativeApi(writer.origin, 'POST', `/key-sets/${server.signingKeySetId}/rotate`, { force: true });
      const served = await waitForChange(readers, path, before, sent + 10_000);
      delays.push(served - sent);
      await sleep(100);
    }
    const p99 = percentile(delays, 99);
    return {
      id: ID,
      title: TITLE,
      status: 'measured',
      method: METHOD,
      figures: [
        {
          subject: 'signet',
          metric: 'propagation p50',
          unit: 'ms',
          median: percentile(delays, 50),
          min: Math.min(...delays),
          max: Math.max(...delays),
        },
        { subject: 'signet', metric: 'propagation p99', unit: 'ms', median: p99, min: p99, max: p99 },
      ],
      ratios: [ratio(TARGET[0], [p99], TARGET[1], TARGET[2])],
      notes: [],
    };
  } finally {
    for (const instance of instances) await instance.stop();
    await postgres.stop();
  }
}

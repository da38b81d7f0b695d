import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { driveLoad, type LoadResult } from '../lib/drive-load.ts';
import { processRssKb } from '../lib/process-cpu.ts';
import { BOOTSTRAP, MASTER_KEY, startSignet } from '../lib/start-signet.ts';
import { spread } from '../lib/stats.ts';
import { ratio, type BenchContext, type Figure, type WorkloadResult } from './types.ts';

const tenantPath = (index: number): string => `/t/bench-${String(index).padStart(5, '0')}/.well-known/jwks.json`;

async function seed(dataDir: string, from: number, to: number): Promise<void> {
  if (to <= from) return;
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '..', 'seed-tenants.ts'), dataDir, String(from), String(to)],
    {
      env: {
        ...process.env,
        SIGNET_MASTER_KEY: MASTER_KEY,
        SIGNET_BOOTSTRAP_CLIENT_ID: BOOTSTRAP.clientId,
        SIGNET_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.clientSecret,
        SIGNET_BOOTSTRAP_API_TOKEN: BOOTSTRAP.apiToken,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`seeding tenants ${from}..${to} failed with ${String(code)}`);
}

/**
 * The lowest resident set size over a short idle window, so a collection that happens to run
 * right after the load does not decide the figure.
 */
async function settledRssKb(pid: number, windowMs: number): Promise<number> {
  let lowest = processRssKb(pid);
  for (let waited = 0; waited < windowMs; waited += 500) {
    await sleep(500);
    lowest = Math.min(lowest, processRssKb(pid));
  }
  return lowest;
}

/**
 * JWKS latency and resident memory with 1, 1,000 and 10,000 tenants. Tenants are seeded in bulk
 * through the services into a stopped Signet's database, then Signet is started on it; requests
 * spread at random over every seeded tenant's JWKS.
 */
export async function runTenantsWorkload(context: BenchContext): Promise<WorkloadResult> {
  const { tenantCounts, runs, durationSeconds, warmupSeconds, connections, quick } = context.settings;
  const settleMs = quick ? 1000 : 5000;
  const dataDir = join(context.tmpDir, 'tenants');
  mkdirSync(dataDir, { recursive: true });
  const loads = new Map<number, LoadResult[]>();
  const rss = new Map<number, number>();
  let seeded = 0;
  for (const count of tenantCounts) {
    const seedStarted = performance.now();
    await seed(dataDir, seeded, count);
    context.log(
      `tenants: seeded ${count - seeded} tenants in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${count} in all)`,
    );
    seeded = count;
    const signet = await startSignet({ dataDir });
    try {
      const paths = Array.from({ length: count }, (_, i) => tenantPath(i));
      const options = {
        origin: signet.origin,
        pid: signet.pid,
        paths,
        pickPathPerRequest: true,
        expectStatus: 200,
        connections,
      };
      if (warmupSeconds > 0) await driveLoad({ ...options, durationSeconds: warmupSeconds });
      const results: LoadResult[] = [];
      for (let run = 0; run < runs; run += 1) {
        const result = await driveLoad({ ...options, durationSeconds });
        if (result.unexpected > 0)
          throw new Error(`tenants ${count}: ${result.unexpected} JWKS responses were not 200`);
        results.push(result);
        context.log(
          `  tenants ${count} run ${run + 1}: ${result.requestsPerSecond.toFixed(0)}/s, p99 ${result.p99Ms.toFixed(2)} ms`,
        );
      }
      loads.set(count, results);
      rss.set(count, await settledRssKb(signet.pid, settleMs));
      context.log(`  tenants ${count}: RSS ${(rss.get(count)! / 1024).toFixed(1)} MB`);
    } finally {
      await signet.stop();
    }
  }
  const first = tenantCounts[0]!;
  const last = tenantCounts[tenantCounts.length - 1]!;
  const figures: Figure[] = tenantCounts.flatMap((count) => [
    {
      subject: `${count} tenants`,
      metric: 'JWKS p99 latency',
      unit: 'ms',
      ...spread(loads.get(count)!.map((r) => r.p99Ms)),
    },
    {
      subject: `${count} tenants`,
      metric: 'JWKS requests/s',
      unit: '/s',
      ...spread(loads.get(count)!.map((r) => r.requestsPerSecond)),
    },
    { subject: `${count} tenants`, metric: 'resident memory', unit: 'MB', ...spread([rss.get(count)! / 1024]) },
  ]);
  const perTenantKb = (rss.get(last)! - rss.get(first)!) / (last - first);
  return {
    id: 'tenants',
    title: `${tenantCounts.map((c) => c.toLocaleString('en-US')).join(', ')} tenants`,
    status: 'measured',
    method: `Tenants seeded in bulk through the tenant service (each with its default authorization server and an ES256 key set of two keys with certificates; RS256 would need two RSA key generations per tenant), then Signet started on the database. JWKS GETs spread at random over every tenant, ${connections} connections, ${durationSeconds} s per run. Resident memory (VmRSS) of the server process, the lowest over ${settleMs / 1000} s idle after the runs; per tenant = growth from ${first} to ${last} tenants divided by the ${last - first} added.`,
    figures: [
      ...figures,
      {
        subject: 'signet',
        metric: 'resident memory per tenant',
        unit: 'KB',
        median: perTenantKb,
        min: perTenantKb,
        max: perTenantKb,
      },
    ],
    ratios: [
      ratio(
        `JWKS p99 at ${last} tenants / at ${first}`,
        loads.get(last)!.map((r, i) => r.p99Ms / loads.get(first)![i]!.p99Ms),
        { op: '<=', value: 1.2 },
      ),
      ratio('resident memory per tenant', [perTenantKb], { op: '<=', value: 20 }, 'KB'),
    ],
    notes: [],
  };
}

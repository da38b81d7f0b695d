import { availableParallelism, cpus } from 'node:os';
import { createTestDatabase } from '../../helpers/postgres-server.ts';
import { createLedger } from './create-ledger.ts';
import { dumpPostgresRows } from './dump-postgres-rows.ts';
import { createPrng } from './create-prng.ts';
import { listRoutes } from './list-routes.ts';
import { ADMIN, prepareTargets, STORM_SERVER_ID } from './prepare-targets.ts';
import { readDatabaseFacts } from './read-database-facts.ts';
import { runAuthMatrix, type AuthMatrixResult } from './run-auth-matrix.ts';
import { runFuzzer, type FuzzOptions, type FuzzResult } from './run-fuzzer.ts';
import { runKillStorm, type KillStormOptions, type KillStormResult } from './run-kill-storm.ts';
import { scanForSecrets, type SecretScanResult } from './scan-for-secrets.ts';
import { SOAK_API_TOKEN, SOAK_CLIENT_SECRET, startSoakTarget } from './start-soak-target.ts';

/** How big a run is: `quick` is what `npm test` runs, `full` what `npm run soak` runs. */
export interface SoakProfile {
  name: 'quick' | 'full';
  fuzz: FuzzOptions;
  sqliteStorm: KillStormOptions;
  postgresStorm: KillStormOptions;
}

export const SOAK_PROFILES: Record<SoakProfile['name'], SoakProfile> = {
  quick: {
    name: 'quick',
    fuzz: { requests: 3_000, batchSize: 500, concurrency: 6, maxDurationMs: 45_000 },
    sqliteStorm: { cycles: 3, concurrency: 4, maxKillDelayMs: 600 },
    postgresStorm: { cycles: 2, concurrency: 4, maxKillDelayMs: 600 },
  },
  full: {
    name: 'full',
    fuzz: { requests: 30_000, batchSize: 1_000, concurrency: 8, maxDurationMs: 15 * 60_000 },
    sqliteStorm: { cycles: 20, concurrency: 8, maxKillDelayMs: 1_500 },
    postgresStorm: { cycles: 10, concurrency: 8, maxKillDelayMs: 1_500 },
  },
};

/** Every figure of one run. */
export interface SoakResult {
  profile: SoakProfile['name'];
  seed: number;
  startedAt: string;
  durationMs: number;
  machine: { cpus: number; model: string; node: string };
  /** The OpenAPI document's operations, and those missing from the fuzzed route table (must be none). */
  openApi: { operations: number; notFuzzed: string[] };
  fuzz: FuzzResult;
  matrix: AuthMatrixResult;
  storms: KillStormResult[];
  scans: (SecretScanResult & { database: 'sqlite' | 'postgres' })[];
}

/** True when the run found nothing: the figures `npm test` asserts are all zero. */
export function isClean(result: SoakResult): boolean {
  const f = result.fuzz;
  return (
    Object.values(f.findings).every((count) => count === 0) &&
    f.crashes === 0 &&
    result.openApi.notFuzzed.length === 0 &&
    f.invariantBreaks.length === 0 &&
    result.matrix.unauthorisedSuccesses === 0 &&
    result.storms.every((s) => s.acknowledgedMissing === 0 && s.invariantBreaks.length === 0) &&
    result.scans.every((s) => s.privateKeyLeaks === 0 && s.pemHeaderLeaks === 0 && s.secretLeaks === 0)
  );
}

/**
 * Runs the robustness suite against real `signet serve` processes on loopback: the authorisation
 * matrix and the fuzzer on SQLite, kill -9 rotation storms on SQLite and on PostgreSQL, and a
 * secret scan of each; `log` is told what is happening.
 */
export async function runSoak(profile: SoakProfile, seed: number, log: (line: string) => void): Promise<SoakResult> {
  const started = Date.now();
  const prng = createPrng(seed);
  const routes = await listRoutes();
  log(`seed ${seed}, profile ${profile.name}, ${routes.length} routes`);

  const sqlite = await startSoakTarget();
  let fuzz: FuzzResult;
  let openApi: SoakResult['openApi'];
  let matrix: AuthMatrixResult;
  const storms: KillStormResult[] = [];
  const scans: SoakResult['scans'] = [];
  try {
    const ledger = createLedger();
    const prepared = await prepareTargets(sqlite, ledger);
    openApi = {
      operations: prepared.openApiOperations.length,
      notFuzzed: prepared.openApiOperations.filter((operation) => {
        const [method, path] = operation.split(' ');
        return !routes.some((route) => route.path === path && route.methods.includes(method!));
      }),
    };
    matrix = await runAuthMatrix(sqlite, routes, prepared.matrix, ledger);
    log(`matrix: ${matrix.requests} requests, ${matrix.unauthorisedSuccesses} unauthorised successes`);
    fuzz = await runFuzzer(sqlite, routes, prepared.fuzz, prng, ledger, profile.fuzz);
    log(`fuzzer: ${fuzz.requests} requests, findings ${JSON.stringify(fuzz.findings)}, ${fuzz.crashes} crashes`);
    storms.push(
      await runKillStorm(sqlite, STORM_SERVER_ID, prepared.stormKeySetId, ADMIN, prng, ledger, profile.sqliteStorm),
    );
    log(`sqlite storm: ${JSON.stringify({ ...storms[0], examples: undefined })}`);
    scans.push({
      database: 'sqlite',
      ...scanForSecrets({
        ledger,
        logs: sqlite.logs(),
        facts: await readDatabaseFacts(sqlite),
        masterKey: sqlite.masterKey,
        sqlitePath: sqlite.sqlitePath,
        given: [SOAK_API_TOKEN, SOAK_CLIENT_SECRET],
      }),
    });
  } finally {
    await sqlite.stop();
  }

  const database = await createTestDatabase();
  try {
    const postgres = await startSoakTarget({
      databaseUrl: database.url,
      // A storm queues requests on the pool; on a loaded machine a short wait would shed some as 503.
      env: { SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS: '30' },
    });
    try {
      const ledger = createLedger();
      const prepared = await prepareTargets(postgres, ledger);
      storms.push(
        await runKillStorm(
          postgres,
          STORM_SERVER_ID,
          prepared.stormKeySetId,
          ADMIN,
          prng,
          ledger,
          profile.postgresStorm,
        ),
      );
      log(`postgres storm: ${JSON.stringify({ ...storms[1], examples: undefined })}`);
      scans.push({
        database: 'postgres',
        ...scanForSecrets({
          ledger,
          logs: postgres.logs(),
          facts: await readDatabaseFacts(postgres),
          masterKey: postgres.masterKey,
          sqlitePath: null,
          databaseRows: await dumpPostgresRows(database.url),
          given: [SOAK_API_TOKEN, SOAK_CLIENT_SECRET],
        }),
      });
    } finally {
      await postgres.stop();
    }
  } finally {
    await database.drop();
  }
  return {
    profile: profile.name,
    seed,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', node: process.version },
    openApi,
    fuzz,
    matrix,
    storms,
    scans,
  };
}

// `npm run bench [-- --quick]`: Signet side by side with node:http baselines and oidc-provider on
// loopback, then bench/results.json, bench/RESULTS.md and bench/results.svg. Options: --out DIR
// (write the results elsewhere), --runs N, --duration S, --warmup S, --connections N, --tenants
// 1,1000,10000, --rotations N, --rotation-spacing-ms MS, --rotation-rsa-bits 2048|3072|4096,
// --propagation-changes N, --only jwks,tokens,sign,rotate,tenants,workers,propagation,custody, --algs RS256,ES256,EdDSA
// (the token workloads to run; all three by default).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResults } from './lib/bench-results.ts';
import { checkSignetResponses } from './lib/check-signet-responses.ts';
import { machineFacts } from './lib/machine-facts.ts';
import { renderChart } from './lib/render-chart.ts';
import { renderResultsMarkdown } from './lib/render-results-markdown.ts';
import { startNodeServer, type RunningNodeServer } from './lib/start-node-server.ts';
import type { StartedProcess } from './lib/start-process.ts';
import { nativeApi, ROOT, startSignet } from './lib/start-signet.ts';
import { runCustodyWorkload } from './workloads/custody-workload.ts';
import { runJwksWorkloads } from './workloads/jwks-workloads.ts';
import { runPropagationWorkload } from './workloads/propagation-workload.ts';
import { runRotationWorkload } from './workloads/rotation-workload.ts';
import { runSignWorkload } from './workloads/sign-workloads.ts';
import { detectServeCapabilities } from './workloads/serve-capabilities.ts';
import { runTenantsWorkload } from './workloads/tenants-workload.ts';
import { runTokenWorkload, type TokenAlg } from './workloads/token-workloads.ts';
import type { BenchContext, BenchSettings, WorkloadResult } from './workloads/types.ts';
import { runWorkersWorkload } from './workloads/workers-workload.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    runs: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    tenants: { type: 'string' },
    rotations: { type: 'string' },
    'rotation-spacing-ms': { type: 'string' },
    /** RSA modulus of the rotated key set: 4096 as the target says; the smoke test uses 2048 to stay quick. */
    'rotation-rsa-bits': { type: 'string' },
    'propagation-changes': { type: 'string' },
    /** Comma-separated groups to run (jwks, tokens, sign, rotate, tenants, workers, propagation, custody); all by default. */
    only: { type: 'string' },
    /** Comma-separated token algorithms of the tokens group (RS256, ES256, EdDSA); all by default. */
    algs: { type: 'string' },
  },
});

const quick = args.quick!;
const number = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : Number(text));
const settings: BenchSettings = {
  quick,
  runs: number(args.runs, quick ? 1 : 3),
  durationSeconds: number(args.duration, quick ? 1 : 4),
  warmupSeconds: number(args.warmup, quick ? 0.5 : 1),
  connections: number(args.connections, 10),
  tenantCounts: (args.tenants ?? (quick ? '1,30,300' : '1,1000,10000')).split(',').map(Number),
  rotations: number(args.rotations, quick ? 4 : 20),
  rotationSpacingMs: number(args['rotation-spacing-ms'], quick ? 1500 : 4000),
  rotationRsaBits: number(args['rotation-rsa-bits'], 4096) as 2048 | 3072 | 4096,
  propagationChanges: number(args['propagation-changes'], quick ? 5 : 30),
};
const outDir = args.out ?? join(ROOT, 'bench');
const started = performance.now();
const tmpDir = mkdtempSync(join(tmpdir(), 'signet-bench-'));
const context: BenchContext = { settings, tmpDir, log: (line) => process.stderr.write(`${line}\n`) };
const processes: StartedProcess[] = [];
const track = <T extends StartedProcess>(process: T): T => {
  processes.push(process);
  return process;
};
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const script = (name: string): string => join(ROOT, 'bench', 'servers', name);

const only = args.only?.split(',');
const wanted = (group: string): boolean => only === undefined || only.includes(group);
const workloads: WorkloadResult[] = [];
try {
  const capabilities = detectServeCapabilities();
  context.log(`bench (${quick ? 'quick' : 'full'}): starting Signet, baselines and oidc-provider`);
  const mainDir = join(tmpDir, 'main');
  mkdirSync(mainDir);
  const signet = track(await startSignet({ dataDir: mainDir }));
  const signetPaths: Record<TokenAlg, string> = {
    RS256: '/oauth/token',
    ES256: '/oauth2/es/v1/token',
    EdDSA: '/oauth2/ed/v1/token',
  };
  await nativeApi(signet.origin, 'POST', '/authorization-servers', {
    id: 'es',
    audiences: ['api://default'],
    alg: 'ES256',
  });
  await nativeApi(signet.origin, 'POST', '/authorization-servers', {
    id: 'ed',
    audiences: ['api://default'],
    alg: 'EdDSA',
  });
  const client = await nativeApi<{ clientId: string; clientSecret: string }>(signet.origin, 'POST', '/clients', {
    name: 'bench',
    scopes: ['keys:read', 'audit:read'],
  });
  for (const [alg, path] of Object.entries(signetPaths)) {
    const jwksPath = alg === 'RS256' ? '/.well-known/jwks.json' : `/oauth2/${alg === 'ES256' ? 'es' : 'ed'}/v1/keys`;
    await checkSignetResponses(signet.origin, path, jwksPath, basic(client.clientId, client.clientSecret), alg);
  }

  const jwksFile = join(tmpDir, 'jwks.json');
  writeFileSync(jwksFile, Buffer.from(await (await fetch(`${signet.origin}/.well-known/jwks.json`)).arrayBuffer()));
  // The peers start side by side; none of them is measured yet.
  const [jwksBaseline, oidcRs, oidcEs, oidcEd, baseRs, baseEs, baseEd] = (
    await Promise.all([
      startNodeServer(script('jwks-baseline-server.ts'), [jwksFile]),
      startNodeServer(script('oidc-provider-server.ts'), ['RS256', '2']),
      startNodeServer(script('oidc-provider-server.ts'), ['ES256', '1']),
      startNodeServer(script('oidc-provider-server.ts'), ['EdDSA', '1']),
      startNodeServer(script('token-baseline-server.ts'), ['RS256']),
      startNodeServer(script('token-baseline-server.ts'), ['ES256']),
      startNodeServer(script('token-baseline-server.ts'), ['EdDSA']),
    ])
  ).map(track) as [
    RunningNodeServer,
    RunningNodeServer,
    RunningNodeServer,
    RunningNodeServer,
    RunningNodeServer,
    RunningNodeServer,
    RunningNodeServer,
  ];
  const oidc: Record<TokenAlg, RunningNodeServer> = { RS256: oidcRs, ES256: oidcEs, EdDSA: oidcEd };
  const tokenBaselines: Record<TokenAlg, RunningNodeServer> = { RS256: baseRs, ES256: baseEs, EdDSA: baseEd };

  if (wanted('jwks')) {
    // The same Signet with verifier readiness tracking off: the same run's measure of what it costs.
    const untrackedDir = join(tmpDir, 'untracked');
    mkdirSync(untrackedDir);
    const untracked = track(await startSignet({ dataDir: untrackedDir, env: { SIGNET_READINESS_TRACKING: 'false' } }));
    workloads.push(
      ...(await runJwksWorkloads(context, { signet, untracked, baseline: jwksBaseline, oidc: oidc.RS256 })),
    );
    await untracked.stop();
  }
  const algs = (['RS256', 'ES256', 'EdDSA'] as const).filter((alg) => args.algs?.split(',').includes(alg) ?? true);
  for (const alg of wanted('tokens') ? algs : []) {
    workloads.push(
      await runTokenWorkload(context, alg, {
        signet,
        signetPath: signetPaths[alg],
        signetClient: client,
        baseline: tokenBaselines[alg],
        oidc: oidc[alg],
      }),
    );
  }
  if (wanted('sign')) {
    const signer = await nativeApi<{ token: string }>(signet.origin, 'POST', '/api-tokens', {
      name: 'bench-signer',
      scopes: ['tokens:sign'],
    });
    // A management access token (client_credentials for the native management audience) holding tokens:sign.
    const signingClient = await nativeApi<{ clientId: string; clientSecret: string }>(
      signet.origin,
      'POST',
      '/clients',
      {
        name: 'bench-signing-client',
        scopes: ['tokens:sign'],
      },
    );
    const issued = await fetch(`${signet.origin}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: basic(signingClient.clientId, signingClient.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=tokens%3Asign&audience=urn%3Asignet%3Amanagement',
    });
    if (issued.status !== 200) throw new Error(`a management access token: ${issued.status} ${await issued.text()}`);
    const accessToken = ((await issued.json()) as { access_token: string }).access_token;
    for (const alg of ['RS256', 'ES256'] as const) {
      workloads.push(
        await runSignWorkload(context, alg, {
          signet,
          serverId: alg === 'RS256' ? 'default' : 'es',
          tokenPath: signetPaths[alg],
          client,
          apiToken: signer.token,
          accessToken,
        }),
      );
    }
  }
  if (wanted('rotate')) workloads.push(await runRotationWorkload(context, signet));
  for (const process of processes.splice(0)) await process.stop();

  if (wanted('tenants')) workloads.push(await runTenantsWorkload(context));
  if (wanted('workers')) workloads.push(await runWorkersWorkload(context, capabilities));
  if (wanted('propagation')) workloads.push(await runPropagationWorkload(context, capabilities));
  if (wanted('custody')) workloads.push(await runCustodyWorkload(context));

  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    settings,
    machine: machineFacts(
      `autocannon ${(await import('autocannon/package.json', { with: { type: 'json' } })).default.version} (in the bench process, ${settings.connections} connections)`,
    ),
    elapsedSeconds: (performance.now() - started) / 1000,
    workloads,
  };
  mkdirSync(outDir, { recursive: true });
  // JSON has no NaN: a figure that was not measured is written as null.
  writeFileSync(
    join(outDir, 'results.json'),
    `${JSON.stringify(results, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`,
  );
  writeFileSync(join(outDir, 'results.svg'), renderChart(results));
  writeFileSync(join(outDir, 'RESULTS.md'), renderResultsMarkdown(results, 'results.svg'));
  context.log(`bench: done in ${Math.round(results.elapsedSeconds)} s; wrote ${join(outDir, 'RESULTS.md')}`);
} finally {
  for (const process of processes) await process.stop();
  rmSync(tmpDir, { recursive: true, force: true });
}

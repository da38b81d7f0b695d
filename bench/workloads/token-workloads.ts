import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunningNodeServer } from '../lib/start-node-server.ts';
import type { RunningSignet } from '../lib/start-signet.ts';
import { spread } from '../lib/stats.ts';
import { compareUnderLoad, perRun } from './compare-under-load.ts';
import { loadFigures, ratio, type BenchContext, type WorkloadResult } from './types.ts';

export type TokenAlg = 'RS256' | 'ES256' | 'EdDSA';

export interface TokenServers {
  signet: RunningSignet;
  /** Signet's token path for this algorithm's authorization server. */
  signetPath: string;
  signetClient: { clientId: string; clientSecret: string };
  baseline: RunningNodeServer;
  oidc: RunningNodeServer;
}

/** The client both the node:http baseline and oidc-provider know. */
export const PEER_CLIENT = { clientId: 'bench-client', clientSecret: 'bench-secret-0123456789abcdef0123456789abcdef' };
const BODY = 'grant_type=client_credentials';

function basic({ clientId, clientSecret }: { clientId: string; clientSecret: string }): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

/** The raw cost of one `crypto.sign` with a cached key, in CPU µs, measured now in a process of its own. */
async function rawSignCostUs(alg: TokenAlg, seconds: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '..', 'servers', 'raw-sign-cost.ts'), alg, String(seconds)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return (JSON.parse(output) as { cpuUsPerSignature: number }).cpuUsPerSignature;
}

/** client_credentials tokens from Signet, the node:http token baseline and oidc-provider, one algorithm. */
export async function runTokenWorkload(
  context: BenchContext,
  alg: TokenAlg,
  servers: TokenServers,
): Promise<WorkloadResult> {
  const label = `tokens-${alg}`;
  context.log(`${label}: client_credentials tokens signed with ${alg}`);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const runs = await compareUnderLoad(context, label, [
    {
      name: 'signet',
      origin: servers.signet.origin,
      pid: servers.signet.pid,
      paths: [servers.signetPath],
      method: 'POST',
      body: BODY,
      headers: { ...form, authorization: basic(servers.signetClient) },
      expectStatus: 200,
    },
    {
      name: 'node:http',
      origin: servers.baseline.origin,
      pid: servers.baseline.pid,
      paths: ['/token'],
      method: 'POST',
      body: BODY,
      headers: { ...form, authorization: basic(PEER_CLIENT) },
      expectStatus: 200,
    },
    {
      name: 'oidc-provider',
      origin: servers.oidc.origin,
      pid: servers.oidc.pid,
      paths: ['/token'],
      method: 'POST',
      body: BODY,
      headers: { ...form, authorization: basic(PEER_CLIENT) },
      expectStatus: 200,
    },
  ]);
  const signet = runs.get('signet')!;
  const baseline = runs.get('node:http')!;
  const oidc = runs.get('oidc-provider')!;
  const rps = (r: { requestsPerSecond: number }) => r.requestsPerSecond;
  const method = `${context.settings.connections} keep-alive connections, ${context.settings.durationSeconds} s per run, HTTP Basic client authentication, no scope requested.`;
  if (alg === 'RS256') {
    // The raw signature cost is measured once per run, between the load runs it is compared with.
    const raw: number[] = [];
    for (let run = 0; run < context.settings.runs; run += 1)
      raw.push(await rawSignCostUs(alg, Math.min(1, context.settings.durationSeconds)));
    return {
      id: label,
      title: 'client_credentials token, RS256 with RSA-2048',
      status: 'measured',
      method: `${method} Raw cost: crypto.sign with a cached RSA-2048 KeyObject in a process of its own, CPU time per signature.`,
      figures: [
        ...loadFigures('signet', signet, 'tokens'),
        ...loadFigures('node:http', baseline, 'tokens'),
        ...loadFigures('oidc-provider', oidc, 'tokens'),
        { subject: 'crypto.sign', metric: 'CPU per signature', unit: 'µs', ...spread(raw) },
      ],
      ratios: [
        ratio(
          'Signet server CPU per token / raw crypto.sign',
          signet.map((r, i) => r.cpuUsPerRequest / raw[i]!),
          { op: '<=', value: 1.25 },
        ),
        ratio('Signet / oidc-provider, tokens/s', perRun(signet, oidc, rps), { op: '>=', value: 1.5 }),
        ratio('Signet / node:http, tokens/s', perRun(signet, baseline, rps), null),
        ratio(
          'node:http baseline server CPU per token / raw crypto.sign',
          baseline.map((r, i) => r.cpuUsPerRequest / raw[i]!),
          null,
        ),
      ],
      notes: [
        'The last ratio is the same measure for the minimal node:http endpoint: what HTTP, form parsing, the client check and JSON cost on top of the signature on this machine, with no framework.',
        "Signet computes RSA signatures on libuv's thread pool (`crypto.sign` with a callback), so they overlap the event loop's HTTP work and a second core is used; the node:http baseline signs on its event loop, as a minimal endpoint does. `node bench/sign-offload-cost.ts` compares inline signing, the pool and worker threads (docs/design-notes.md, Hot path).",
      ],
    };
  }
  return {
    id: label,
    title: `client_credentials token, ${alg}`,
    status: 'measured',
    method,
    figures: [
      ...loadFigures('signet', signet, 'tokens'),
      ...loadFigures('node:http', baseline, 'tokens'),
      ...loadFigures('oidc-provider', oidc, 'tokens'),
    ],
    ratios: [
      ratio('Signet / node:http, tokens/s', perRun(signet, baseline, rps), { op: '>=', value: 0.6 }),
      ratio('Signet / oidc-provider, tokens/s', perRun(signet, oidc, rps), { op: '>=', value: 2 }),
      ratio(
        'node:http / Signet, server CPU per token',
        perRun(baseline, signet, (r) => r.cpuUsPerRequest),
        null,
      ),
    ],
    notes: [],
  };
}

import type { RunningNodeServer } from '../lib/start-node-server.ts';
import type { RunningSignet } from '../lib/start-signet.ts';
import { compareUnderLoad, perRun } from './compare-under-load.ts';
import { loadFigures, ratio, type BenchContext, type WorkloadResult } from './types.ts';

export interface JwksServers {
  signet: RunningSignet;
  /** The same Signet with verifier readiness tracking off (SIGNET_READINESS_TRACKING=false). */
  untracked: RunningSignet;
  /** Plain node:http serving Signet's JWKS bytes. */
  baseline: RunningNodeServer;
  /** oidc-provider with two RSA-2048 keys, like Signet's active and next key. */
  oidc: RunningNodeServer;
}

const SIGNET_PATH = '/.well-known/jwks.json';
const OIDC_PATH = '/jwks';

/** JWKS GET answered 200, and 304 to If-None-Match, by Signet, the node:http baseline and oidc-provider. */
export async function runJwksWorkloads(context: BenchContext, servers: JwksServers): Promise<WorkloadResult[]> {
  const signetEtag = (await fetch(`${servers.signet.origin}${SIGNET_PATH}`)).headers.get('etag')!;
  const baselineEtag = (await fetch(`${servers.baseline.origin}${SIGNET_PATH}`)).headers.get('etag')!;
  const oidcEtag = (await fetch(`${servers.oidc.origin}${OIDC_PATH}`)).headers.get('etag');
  const untrackedEtag = (await fetch(`${servers.untracked.origin}${SIGNET_PATH}`)).headers.get('etag')!;
  const results: WorkloadResult[] = [];
  for (const conditional of [false, true]) {
    const status = conditional ? 304 : 200;
    const label = `jwks-${status}`;
    context.log(`${label}: JWKS GET answered ${status}`);
    const runs = await compareUnderLoad(context, label, [
      {
        name: 'signet',
        origin: servers.signet.origin,
        pid: servers.signet.pid,
        paths: [SIGNET_PATH],
        expectStatus: status,
        ...(conditional ? { headers: { 'if-none-match': signetEtag } } : {}),
      },
      {
        name: 'signet (no readiness)',
        origin: servers.untracked.origin,
        pid: servers.untracked.pid,
        paths: [SIGNET_PATH],
        expectStatus: status,
        ...(conditional ? { headers: { 'if-none-match': untrackedEtag } } : {}),
      },
      {
        name: 'node:http',
        origin: servers.baseline.origin,
        pid: servers.baseline.pid,
        paths: [SIGNET_PATH],
        expectStatus: status,
        ...(conditional ? { headers: { 'if-none-match': baselineEtag } } : {}),
      },
      // oidc-provider sends no ETag, so a conditional request still gets the whole document.
      {
        name: 'oidc-provider',
        origin: servers.oidc.origin,
        pid: servers.oidc.pid,
        paths: [OIDC_PATH],
        expectStatus: conditional && oidcEtag ? 304 : 200,
        ...(conditional && oidcEtag ? { headers: { 'if-none-match': oidcEtag } } : {}),
      },
    ]);
    const signet = runs.get('signet')!;
    const untracked = runs.get('signet (no readiness)')!;
    const baseline = runs.get('node:http')!;
    const oidc = runs.get('oidc-provider')!;
    const rps = (r: { requestsPerSecond: number }) => r.requestsPerSecond;
    const cpu = (r: { cpuUsPerRequest: number }) => r.cpuUsPerRequest;
    results.push({
      id: label,
      title: conditional ? 'JWKS GET, 304 (If-None-Match)' : 'JWKS GET, 200',
      status: 'measured',
      method: `${context.settings.connections} keep-alive connections, ${context.settings.durationSeconds} s per run, subjects in turn (every other run in reverse order); Signet serves the default server's RS256 key set (active and next key, with x5c); a second Signet runs with readiness tracking off (SIGNET_READINESS_TRACKING=false) for the same-run cost of tracking.`,
      figures: [
        ...loadFigures('signet', signet),
        ...loadFigures('signet (no readiness)', untracked),
        ...loadFigures('node:http', baseline),
        ...loadFigures('oidc-provider', oidc),
      ],
      ratios: [
        ratio('Signet / Signet without readiness tracking, requests/s', perRun(signet, untracked, rps), {
          op: '>=',
          value: 0.95,
        }),
        ratio('Signet / node:http, requests/s', perRun(signet, baseline, rps), { op: '>=', value: 0.8 }),
        ratio('Signet / oidc-provider, requests/s', perRun(signet, oidc, rps), { op: '>=', value: 2 }),
        ratio('node:http / Signet, server CPU per request', perRun(baseline, signet, cpu), null),
      ],
      notes:
        conditional && !oidcEtag
          ? ['oidc-provider sends no ETag on its JWKS, so it answers conditional requests with the full 200 document.']
          : [],
    });
  }
  return results;
}

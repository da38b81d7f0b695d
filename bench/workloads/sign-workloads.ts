import type { RunningSignet } from '../lib/start-signet.ts';
import { compareUnderLoad, perRun } from './compare-under-load.ts';
import { loadFigures, ratio, type BenchContext, type WorkloadResult } from './types.ts';

export type SignAlg = 'RS256' | 'ES256';

export interface SignServers {
  signet: RunningSignet;
  /** The authorization server whose key set has this algorithm, and its token path. */
  serverId: string;
  tokenPath: string;
  client: { clientId: string; clientSecret: string };
  /** An API token holding tokens:sign. */
  apiToken: string;
  /** A management access token (a JWT of the default server for urn:signet:management) holding tokens:sign. */
  accessToken: string;
}

// An ID-token-like claims set, about the size of the token endpoint's access token.
const SIGN_BODY = JSON.stringify({ claims: { sub: 'user-1', aud: 'my-client', nonce: 'n-0S6_WzA2Mj' } });

/** The signing API against the token endpoint of the same Signet, same algorithm, in one run. */
export async function runSignWorkload(
  context: BenchContext,
  alg: SignAlg,
  servers: SignServers,
): Promise<WorkloadResult> {
  const label = `sign-${alg}`;
  context.log(`${label}: signing API and token endpoint, ${alg}`);
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(servers.client.clientId)}:${encodeURIComponent(servers.client.clientSecret)}`).toString('base64')}`;
  const signSubject = (name: string, credential: string) => ({
    name,
    origin: servers.signet.origin,
    pid: servers.signet.pid,
    paths: [`/signet/v1/authorization-servers/${servers.serverId}/sign`],
    method: 'POST' as const,
    body: SIGN_BODY,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    expectStatus: 200,
  });
  const runs = await compareUnderLoad(context, label, [
    signSubject('sign API', servers.apiToken),
    signSubject('sign API (access token)', servers.accessToken),
    {
      name: 'token endpoint',
      origin: servers.signet.origin,
      pid: servers.signet.pid,
      paths: [servers.tokenPath],
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      expectStatus: 200,
    },
  ]);
  const sign = runs.get('sign API')!;
  const signWithJwt = runs.get('sign API (access token)')!;
  const token = runs.get('token endpoint')!;
  return {
    id: label,
    title: `sign API, ${alg}, against the token endpoint`,
    status: 'measured',
    method: `${context.settings.connections} keep-alive connections, ${context.settings.durationSeconds} s per run, each subject in turn on the same Signet: POST .../sign with a 3-claim body authenticated by an API token (Bearer, the target's subject) or by a management access token (an RS256 JWT of the default server), and client_credentials with HTTP Basic.`,
    figures: [
      ...loadFigures('sign API', sign, 'tokens'),
      ...loadFigures('sign API (access token)', signWithJwt, 'tokens'),
      ...loadFigures('token endpoint', token, 'tokens'),
    ],
    ratios: [
      ratio(
        'sign API / token endpoint, tokens/s',
        perRun(sign, token, (r) => r.requestsPerSecond),
        { op: '>=', value: 0.9 },
      ),
      ratio(
        'sign API with a management access token / token endpoint, tokens/s',
        perRun(signWithJwt, token, (r) => r.requestsPerSecond),
        null,
      ),
    ],
    notes: [
      'Both are answered in front of Fastify from memory (src/http/native/create-fast-sign-handler.ts, src/http/public/create-fast-token-handler.ts); an API token is found by its hash in the registry, a management access token costs one RS256 verification more.',
    ],
  };
}

import assert from 'node:assert/strict';
import type { SpawnedSignet } from './spawn-signet.ts';

/** The admin credentials `signet serve` writes to `bootstrap-credentials.json`. */
export interface BootstrapCredentials {
  clientId: string;
  clientSecret: string;
  apiToken: string;
}

/** Calls the native API of a spawned server with the bootstrap API token; the body parsed as JSON. */
export async function nativeApi(
  signet: SpawnedSignet,
  credentials: BootstrapCredentials,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${signet.url}/signet/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${credentials.apiToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** A client_credentials access token from the default server's token endpoint, asserting a 200. */
export async function clientCredentialsToken(
  signet: SpawnedSignet,
  credentials: BootstrapCredentials,
): Promise<string> {
  const response = await fetch(`${signet.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { access_token: string }).access_token;
}

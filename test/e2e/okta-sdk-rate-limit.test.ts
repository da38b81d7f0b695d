import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import okta from '@okta/okta-sdk-nodejs';
import { freePort, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

const TOKEN = 'sgt_okta-sdk-rate-limit-0123456789';
const PER_MINUTE = 30;

// The Okta SDK's own retry: on a 429 it waits until `X-Rate-Limit-Reset` (measured from `Date`)
// and sends the request again; Signet's reset is when the next request passes, so the retry succeeds.
describe('@okta/okta-sdk-nodejs retries a 429 from signet serve', { timeout: 120_000 }, () => {
  let signet: SpawnedSignet;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'signet-okta-rate-'));
    signet = await spawnSignet({
      dataDir,
      port: await freePort(),
      env: { SIGNET_BOOTSTRAP_API_TOKEN: TOKEN, SIGNET_RATE_LIMIT_MANAGEMENT_PER_MINUTE: String(PER_MINUTE) },
    });
  });
  after(async () => {
    await signet?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Calls until the credential's bucket is empty; returns the first 429. */
  async function exhaust(): Promise<Response> {
    for (let i = 0; i <= PER_MINUTE; i += 1) {
      const response = await fetch(`${signet.url}/api/v1/authorizationServers/default`, {
        headers: { authorization: `SSWS ${TOKEN}` },
      });
      await response.arrayBuffer();
      if (response.status === 429) return response;
    }
    assert.fail('the limit was never reached');
  }

  test('the SDK backs off on the 429, retries, and the call succeeds', async () => {
    const refused = await exhaust();
    assert.ok(Number(refused.headers.get('x-rate-limit-reset')) * 1000 > Date.parse(refused.headers.get('date')!));

    const executor = new okta.DefaultRequestExecutor();
    const statuses: number[] = [];
    const backoffs: number[] = [];
    executor.on('response', (response: { status: number }) => statuses.push(response.status));
    executor.on('backoff', (_request: unknown, _response: unknown, _id: unknown, delayMs: number) =>
      backoffs.push(delayMs),
    );
    const client = new okta.Client({ orgUrl: signet.url, token: TOKEN, requestExecutor: executor });
    const server = await client.authorizationServerApi.getAuthorizationServer({ authServerId: 'default' });
    assert.equal(server.id, 'default');
    assert.deepEqual(statuses, [429, 200], 'refused once, then served on the retry');
    assert.equal(backoffs.length, 1);
  });

  test('without retries the SDK surfaces E0000047', async () => {
    const requestExecutor = new okta.DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 });
    const client = new okta.Client({ orgUrl: signet.url, token: TOKEN, requestExecutor });
    await exhaust();
    let failure: { status?: number; errorCode?: string } | undefined;
    try {
      await client.authorizationServerApi.getAuthorizationServer({ authServerId: 'default' });
    } catch (error) {
      failure = error as { status: number; errorCode: string };
    }
    assert.equal(failure?.status, 429);
    assert.equal(failure?.errorCode, 'E0000047');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run-cli.ts';
import {
  ADMIN_TOKEN,
  BASE_URL,
  createTestContext,
  defaultKeySetId,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

// `signet webhooks ...` against the real in-process app (fetch routed into `app.inject`).
describe('signet webhooks', () => {
  let context: TestContext;
  let receiver: WebhookReceiver;
  const scratch = mkdtempSync(join(tmpdir(), 'signet-cli-webhooks-'));
  before(async () => {
    context = await createTestContext();
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver.close();
    await context.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const injectFetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const response = await context.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: { ...(init?.headers as Record<string, string>), host: url.host },
      ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
    });
    return new Response(response.statusCode === 204 ? null : response.body, { status: response.statusCode });
  }) as typeof fetch;

  async function cli(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: { SIGNET_URL: BASE_URL, SIGNET_TOKEN: ADMIN_TOKEN, SIGNET_DATA_DIR: scratch },
      fetch: injectFetch,
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  }

  test('create prints the secret once; list, get, update, deliveries, redeliver and delete', async () => {
    const created = await cli('webhooks', 'create', receiver.url, '--event', 'dev.signet.key.revoked');
    assert.equal(created.code, 0, created.stderr);
    const secret = /whsec_\S+/.exec(created.stdout)![0];
    assert.match(created.stderr, /shown only this once/);
    receiver.trust(secret);
    const id = /created webhook (wh_\S+)/.exec(created.stdout)![1]!;

    const listed = await cli('webhooks', 'list');
    assert.match(listed.stdout, new RegExp(`${id}.*healthy.*dev\\.signet\\.key\\.revoked`));
    assert.ok(!listed.stdout.includes(secret));
    assert.equal((await cli('webhooks', 'get', id, '--json')).json().webhook.id, id);

    receiver.setReply(() => 500);
    const keySetId = defaultKeySetId(context);
    const rotated = (await cli('keys', 'rotate', '--force', '--key-set', keySetId, '--json')).json() as {
      changed: { kid: string; state: string }[];
    };
    const draining = rotated.changed.find((key) => key.state === 'draining')!.kid;
    // `--`: a kid is base64url and may begin with a hyphen.
    assert.equal((await cli('keys', 'revoke', '--key-set', keySetId, '--', draining)).code, 0);
    await context.dispatcher.runOnce();
    const deliveries = await cli('webhooks', 'deliveries', id);
    assert.match(deliveries.stdout, /dev\.signet\.key\.revoked\s+\S+\s+pending\s+1\s+500/);
    const deliveryId = /whd_\S+/.exec(deliveries.stdout)![0];

    receiver.setReply(() => 204);
    const redelivered = await cli('webhooks', 'redeliver', id, deliveryId);
    assert.equal(redelivered.code, 0, redelivered.stderr);
    assert.match(redelivered.stdout, /queued 1 delivery/);
    await context.dispatcher.runOnce();
    assert.equal((await cli('webhooks', 'deliveries', id, '--json')).json().items[0].status, 'delivered');
    assert.equal((await cli('webhooks', 'redeliver', id)).code, 2, 'neither a delivery nor --failed');

    const rotatedSecret = await cli('webhooks', 'update', id, '--rotate-secret', '--paused');
    assert.equal(rotatedSecret.code, 0, rotatedSecret.stderr);
    assert.match(rotatedSecret.stdout, /paused/);
    assert.match(rotatedSecret.stdout, /whsec_/);
    assert.notEqual(/whsec_\S+/.exec(rotatedSecret.stdout)![0], secret);

    const refused = await cli('webhooks', 'create', receiver.url, '--event', 'dev.signet.nope');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /ERR_VALIDATION/);

    assert.equal((await cli('webhooks', 'delete', id)).code, 0);
    assert.equal((await cli('webhooks', 'get', id)).code, 4);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';
import { startWebhookReceiver, type ReceivedWebhook, type ReceiverReply } from '../helpers/webhook-receiver.ts';

const TOKEN = 'sgt_e2e-webhooks-admin';
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ENV = {
  SIGNET_BOOTSTRAP_API_TOKEN: TOKEN,
  SIGNET_WEBHOOK_ALLOW_HTTP: 'true',
  SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  // A short lease, so the restarted instance takes over the delivery the killed one held within a second.
  SIGNET_WEBHOOK_LEASE_SECONDS: '1',
  SIGNET_WEBHOOK_TIMEOUT_SECONDS: '1',
};

async function api(signet: SpawnedSignet, method: string, path: string, body?: unknown) {
  const response = await fetch(`${signet.url}/signet/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * Kills Signet with SIGKILL the moment its first delivery reaches the receiver (the commit is done,
 * the delivery is not recorded), restarts it on the same data directory, and returns what the
 * receiver got once a later event shows the loop has moved past the first one.
 */
async function crashDuringFirstDelivery(firstReply: ReceiverReply) {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-e2e-webhooks-'));
  dirs.push(dataDir);
  const port = await freePort();
  let signet = await spawnSignet({ dataDir, port, env: ENV });
  let killed: Promise<void> | null = null;
  const receiver = await startWebhookReceiver({
    reply: (_received: ReceivedWebhook, index: number) => {
      if (index > 0) return 204;
      // SIGKILL before answering: Signet never learns how the receiver answered.
      const child = signet.process;
      killed = new Promise((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      return firstReply;
    },
  });
  try {
    const created = await api(signet, 'POST', '/webhooks', {
      url: receiver.url,
      eventTypes: ['dev.signet.key.activated'],
    });
    assert.equal(created.status, 201);
    receiver.trust(String(created.json.secret));
    const webhookId: string = (created.json.webhook as { id: string }).id;
    const keySetId: string = ((await api(signet, 'GET', '/key-sets')).json.items as { id: string }[])[0]!.id;
    assert.equal((await api(signet, 'POST', `/key-sets/${keySetId}/rotate`, { force: true })).status, 200);
    await receiver.waitFor(1);
    await killed;
    signet = await spawnSignet({ dataDir, port, env: ENV });
    await receiver.waitFor(2);
    // A second event, committed after the restart, arrives after the first one was settled.
    assert.equal((await api(signet, 'POST', `/key-sets/${keySetId}/rotate`, { force: true })).status, 200);
    await receiver.waitFor(3);
    const deliveries = (await api(signet, 'GET', `/webhooks/${webhookId}/deliveries`)).json.items as {
      eventId: string;
      status: string;
      attemptLog: unknown[];
    }[];
    return { received: [...receiver.received], deliveries, rejected: [...receiver.rejected] };
  } finally {
    await signet.stop();
    await receiver.close();
  }
}

test('kill -9 between commit and delivery, restart: the event reaches a 2xx receiver exactly once', async () => {
  const { received, deliveries, rejected } = await crashDuringFirstDelivery('hang');
  assert.deepEqual(rejected, []);
  const first = received[0]!.event.id;
  // The killed instance's attempt, then the restarted one's; the next event only after it.
  assert.deepEqual(
    received.map((entry) => entry.event.id === first),
    [true, true, false],
  );
  assert.equal(received.filter((entry) => entry.event.id === first && entry.answered === 204).length, 1);
  const settled = deliveries.find((delivery) => delivery.eventId === first)!;
  assert.equal(settled.status, 'delivered');
  assert.equal(settled.attemptLog.length, 1, 'only the attempt that was answered is on record');
});

test('kill -9 while a receiver is failing, restart: the event is delivered again until it is answered 2xx', async () => {
  const { received, deliveries } = await crashDuringFirstDelivery(500);
  const first = received[0]!.event.id;
  assert.equal(received[0]!.answered, 500);
  assert.ok(received.filter((entry) => entry.event.id === first).length >= 2, 'at least once more after the failure');
  assert.equal(
    received.find((entry) => entry.event.id === first && entry.answered === 204)?.event.type,
    'dev.signet.key.activated',
  );
  assert.equal(deliveries.find((delivery) => delivery.eventId === first)!.status, 'delivered');
});

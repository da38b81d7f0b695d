import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { createWebhookSender } from '../../src/webhooks/send-webhook.ts';

const servers: import('node:http').Server[] = [];
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(listener: RequestListener): Promise<number> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const LIMITS = { timeoutMs: 1000, maxResponseBytes: 1024, allowPrivateNetworks: true };
const post = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{}' });

test('a name that resolves to a loopback address is refused at delivery time (DNS rebinding)', async () => {
  let reached = 0;
  const port = await serve((_request, response) => {
    reached += 1;
    response.end();
  });
  const guarded = createWebhookSender({ ...LIMITS, allowPrivateNetworks: false });
  for (const url of [`http://localhost:${port}/`, `http://127.0.0.1:${port}/`]) {
    const refused = await guarded(post(url));
    assert.equal(refused.ok, false, url);
    assert.equal(refused.responseCode, null);
    assert.match(refused.error ?? '', /private, loopback or link-local/);
  }
  assert.equal(reached, 0, 'no connection was made');
  assert.equal((await createWebhookSender(LIMITS)(post(`http://localhost:${port}/`))).ok, true);
});

test('redirects are not followed: a 3xx is a failed attempt', async () => {
  let followed = false;
  const port = await serve((request, response) => {
    if (request.url === '/elsewhere') followed = true;
    response.writeHead(307, { location: '/elsewhere' }).end();
  });
  const result = await createWebhookSender(LIMITS)(post(`http://127.0.0.1:${port}/hook`));
  assert.deepEqual([result.ok, result.responseCode], [false, 307]);
  assert.equal(followed, false);
});

test('a receiver that does not answer within the timeout fails the attempt', async () => {
  const port = await serve(() => undefined);
  const result = await createWebhookSender({ ...LIMITS, timeoutMs: 200 })(post(`http://127.0.0.1:${port}/`));
  assert.deepEqual([result.ok, result.responseCode], [false, null]);
  assert.match(result.error ?? '', /no answer within 200 ms/);
});

test('a response body over the cap fails the attempt even with a 2xx', async () => {
  const port = await serve((_request, response) => {
    response.writeHead(200);
    response.end(Buffer.alloc(64 * 1024, 'x'));
  });
  const result = await createWebhookSender(LIMITS)(post(`http://127.0.0.1:${port}/`));
  assert.deepEqual([result.ok, result.responseCode], [false, 200]);
  assert.match(result.error ?? '', /over 1024 bytes/);
  const small = await serve((_request, response) => response.writeHead(200).end('ok'));
  assert.equal((await createWebhookSender(LIMITS)(post(`http://127.0.0.1:${small}/`))).ok, true);
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort, spawnSignet } from '../helpers/spawn-signet.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'signet-e2e-shutdown-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('SIGTERM lets an in-flight request finish, then exits 0 and refuses new connections', async () => {
  const port = await freePort();
  const signet = await spawnSignet({ dataDir, port });
  const { clientId, clientSecret } = JSON.parse(readFileSync(join(dataDir, 'bootstrap-credentials.json'), 'utf8'));
  const body = `grant_type=client_credentials&client_id=${encodeURIComponent(clientId)}&client_secret=${encodeURIComponent(clientSecret)}`;

  // Start a token request and send only half of its body: the request is in flight.
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => {
      signet.process.kill('SIGTERM');
      // Give the server time to begin closing before the rest of the body arrives.
      setTimeout(() => req.end(body.slice(10)), 300);
    }, 200);
  });

  const finished = await response;
  assert.equal(finished.status, 200, finished.text);
  assert.ok(JSON.parse(finished.text).access_token);
  assert.equal(await signet.stop(), 0);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'no new connections after shutdown');
  assert.match(signet.stdout(), /shutting down: finishing in-flight requests/);
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, open, openSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  BASE_URL,
  createTestContext,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { rawRequest } from '../helpers/raw-request.ts';

const FORM = 'application/x-www-form-urlencoded';
/** RFC 6749 §2.3.1: form-encode, then base64. */
const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
const ADMIN = `Basic ${Buffer.from(`${encode(ADMIN_CLIENT_ID)}:${encode(ADMIN_CLIENT_SECRET)}`).toString('base64')}`;
const POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE ?? 4);

/**
 * Occupies every thread of libuv's pool: opening a FIFO for reading blocks its thread until a
 * writer opens it. Returns the release, which opens each FIFO for writing.
 */
function occupyThreadPool(dir: string): () => void {
  const fifos = Array.from({ length: POOL_SIZE }, (_, i) => join(dir, `fifo-${i}`));
  execFileSync('mkfifo', fifos);
  const opened = fifos.map(
    (fifo) =>
      new Promise<number>((resolve, reject) => open(fifo, 'r', (error, fd) => (error ? reject(error) : resolve(fd)))),
  );
  return () => {
    for (const fifo of fifos) closeSync(openSync(fifo, 'w'));
    void Promise.all(opened).then((fds) => {
      for (const fd of fds) closeSync(fd);
    });
  };
}

describe('RSA token signing does not block the event loop', () => {
  let context: TestContext;
  let port: number;
  let dir: string;
  before(async () => {
    context = await createTestContext();
    await context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (context.app.server.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'signet-pool-'));
  });
  after(async () => {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a JWKS request on another socket is answered while an RS256 token waits for its signature on the thread pool', async () => {
    // Warm up: the key pool's background generation must not hold a pool thread during the test.
    await rawRequest(
      port,
      'POST',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=client_credentials',
    );
    const events: string[] = [];
    // The token request's body has been read once the server sees its `end` (after the handler's own listener).
    const tokenBodyRead = new Promise<void>((resolve) => {
      const onRequest = (request: IncomingMessage) => {
        if (request.method !== 'POST') return;
        context.app.server.off('request', onRequest);
        request.once('end', () => setImmediate(resolve));
      };
      context.app.server.on('request', onRequest);
    });
    const release = occupyThreadPool(dir);
    const token = rawRequest(
      port,
      'POST',
      '/oauth/token',
      { authorization: ADMIN, 'content-type': FORM },
      'grant_type=client_credentials',
    ).then((response) => {
      events.push('token');
      return response;
    });
    await tokenBodyRead;
    const jwks = await rawRequest(port, 'GET', '/.well-known/jwks.json');
    events.push('jwks');
    assert.equal(jwks.status, 200);
    release();
    const issued = await token;
    // Signed inline, the token would have been answered before the JWKS request was even sent.
    assert.deepEqual(events, ['jwks', 'token']);
    assert.equal(issued.status, 200);
    const { protectedHeader } = await jwtVerify(
      JSON.parse(issued.body).access_token,
      createLocalJWKSet(JSON.parse(jwks.body)),
      { issuer: BASE_URL, typ: 'at+jwt', currentDate: new Date(context.clock.now) },
    );
    assert.equal(protectedHeader.alg, 'RS256');
  });
});

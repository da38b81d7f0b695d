import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sendRaw } from '../robustness/lib/send-raw.ts';
import { SOAK_API_TOKEN, startSoakTarget, type SoakTarget } from '../robustness/lib/start-soak-target.ts';

// Requests refused before their body is read, against the real process (in one process the race
// that loses the answer does not show): the refusal must reach the client, not a connection reset,
// as the robustness suite found it did not (bench/SOAK.md).
describe('requests refused early still get their answer', () => {
  let target: SoakTarget;
  let port: number;
  before(async () => {
    target = await startSoakTarget({ env: { SIGNET_LOG_LEVEL: 'warn' } });
    port = target.port;
  });
  after(() => target.stop());

  const admin = (): [string, string] => ['authorization', `Bearer ${SOAK_API_TOKEN}`];

  test('CONNECT is answered 404 in the envelope of the path it names', async () => {
    const native = await sendRaw(port, { method: 'CONNECT', target: '/signet/v1/key-sets', headers: [admin()] });
    assert.equal(native.status, 404);
    assert.equal(JSON.parse(native.body.toString()).error.code, 'ERR_NOT_FOUND');
    const okta = await sendRaw(port, { method: 'CONNECT', target: '/api/v1/idps', headers: [admin()] });
    assert.equal(okta.status, 404);
    assert.equal(JSON.parse(okta.body.toString()).errorCode, 'E0000007');
  });

  test('a body over the limit gets 413 every time, by Content-Length or chunked', async () => {
    const body = Buffer.from(`{"displayName":"${'a'.repeat(1024 * 1024)}"}`);
    for (let i = 0; i < 16; i += 1) {
      const answer = await sendRaw(port, {
        method: 'PATCH',
        target: '/signet/v1/tenants/default',
        headers: [admin(), ['content-type', 'application/json']],
        body,
        chunked: i % 2 === 1,
      });
      assert.equal(answer.error, undefined, `attempt ${i}: the answer was lost`);
      assert.equal(answer.status, 413);
      assert.equal(JSON.parse(answer.body.toString()).error.code, 'ERR_BODY_TOO_LARGE');
    }
  });

  test("headers over Node's limit get 431, and a request framed twice gets 400, every time", async () => {
    for (let i = 0; i < 24; i += 1) {
      const answer = await sendRaw(port, {
        method: 'PATCH',
        target: '/signet/v1/tenants/default',
        headers: [admin(), ['x-padding', 'h'.repeat(200_000)], ['content-type', 'application/json']],
        body: Buffer.from('{}'),
      });
      assert.equal(answer.error, undefined, `attempt ${i}: the answer was lost`);
      assert.equal(answer.status, 431);
    }
    const smuggled = await sendRaw(port, {
      method: 'POST',
      target: '/oauth/token',
      headers: [
        ['content-type', 'application/x-www-form-urlencoded'],
        ['content-length', '40'],
      ],
      body: Buffer.from('grant_type=client_credentials'),
      chunked: true,
    });
    assert.equal(smuggled.status, 400);
  });
});

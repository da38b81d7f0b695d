import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createSigner, SignetClientError } from '../../src/client/create-signer.ts';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  ADMIN_TOKEN,
  BASE_URL,
  createTestContext,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { CUSTODIES } from '../../src/custody/key-custody.ts';

const DAY = 86_400_000;

for (const custody of CUSTODIES) {
  describe(`signet/client against a real Signet over HTTP (${custody} custody)`, () => {
    let context: TestContext;
    let origin: string;
    const requests: string[] = [];
    // The real fetch, recording which endpoints the client called.
    const recordingFetch = ((input: string | URL | Request, init?: RequestInit) => {
      requests.push(new URL(String(input)).pathname);
      return fetch(input, init);
    }) as typeof fetch;
    before(async () => {
      context = await createTestContext({ startAt: Date.now(), custody });
      await context.app.listen({ port: 0, host: '127.0.0.1' });
      origin = `http://127.0.0.1:${(context.app.server.address() as AddressInfo).port}`;
    });
    after(() => context.close());

    const clock = () => context.clock.now;

    test('with an API token: sign returns the API answer, and the JWT verifies against the JWKS', async () => {
      const signer = createSigner({ url: origin, authorizationServer: 'default', token: ADMIN_TOKEN });
      const answer = await signer.sign({ sub: 'user-1', aud: 'rp', nonce: 'abc' }, { expiresIn: 600, typ: 'JWT' });
      assert.ok(Date.parse(answer.verifiableUntil) > Date.parse(answer.expiresAt));
      const { payload } = await jwtVerify(answer.jwt, createRemoteJWKSet(new URL(`${origin}/.well-known/jwks.json`)), {
        issuer: BASE_URL,
        audience: 'rp',
      });
      assert.equal(payload.nonce, 'abc');
    });

    test('with client credentials: fetches a management token once, renews it when it is about to lapse', async () => {
      requests.length = 0;
      const signer = createSigner({
        url: origin,
        authorizationServer: 'default',
        clientId: ADMIN_CLIENT_ID,
        clientSecret: ADMIN_CLIENT_SECRET,
        fetch: recordingFetch,
        now: clock,
      });
      await signer.sign({ sub: 'a' });
      await signer.sign({ sub: 'b' });
      assert.deepEqual(requests, [
        '/oauth/token',
        '/signet/v1/authorization-servers/default/sign',
        '/signet/v1/authorization-servers/default/sign',
      ]);
      // Past the token's lifetime (1 hour) on both clocks: the client gets a new one first.
      context.advance(3600 * 1000);
      requests.length = 0;
      await signer.sign({ sub: 'c' });
      assert.deepEqual(requests, ['/oauth/token', '/signet/v1/authorization-servers/default/sign']);
    });

    test('refusals are typed errors carrying the API code and details', async () => {
      const signer = createSigner({ url: origin, authorizationServer: 'default', token: ADMIN_TOKEN });
      await assert.rejects(signer.sign({ sub: 'x' }, { expiresIn: 7200 }), (error: unknown) => {
        assert.ok(error instanceof SignetClientError);
        assert.equal(error.code, 'ERR_TOKEN_LIFETIME_TOO_LONG');
        assert.equal(error.status, 400);
        assert.equal(error.details?.maxTokenLifetimeSeconds, 3600);
        return true;
      });
      const stranger = createSigner({ url: origin, authorizationServer: 'default', token: 'sgt_unknown' });
      await assert.rejects(stranger.sign({}), { code: 'ERR_UNAUTHENTICATED', status: 401 });
      const badClient = createSigner({
        url: origin,
        authorizationServer: 'default',
        clientId: 'nobody',
        clientSecret: 'x',
      });
      await assert.rejects(badClient.sign({}), { code: 'invalid_client', status: 401 });
    });

    test('a 503 is retried with backoff until the server can sign again', async () => {
      // A year on without the scheduler: the active key's certificate has expired, so Signet answers 503.
      context.advance(400 * DAY);
      const delays: number[] = [];
      const signer = createSigner({
        url: origin,
        authorizationServer: 'default',
        token: ADMIN_TOKEN,
        fetch: recordingFetch,
        // While the client waits, the scheduler catches up (renews, rotates): the retry succeeds.
        sleep: async (ms) => {
          delays.push(ms);
          if (delays.length === 2) await context.scheduler.runOnce();
        },
      });
      requests.length = 0;
      const answer = await signer.sign({ sub: 'after-outage' });
      assert.equal(typeof answer.jwt, 'string');
      assert.equal(requests.length, 3, 'two 503 answers, then the signature');
      assert.ok(delays[1]! > delays[0]! && delays[0]! > 0, 'backs off');

      context.advance(400 * DAY);
      const impatient = createSigner({
        url: origin,
        authorizationServer: 'default',
        token: ADMIN_TOKEN,
        maxRetries: 1,
        sleep: async () => {},
      });
      await assert.rejects(impatient.sign({}), { code: 'ERR_CERTIFICATE_EXPIRED', status: 503 });
    });
  });
}

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { compactVerify, createLocalJWKSet, jwtVerify } from 'jose';
import { BASE_URL, createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';
import { CUSTODIES } from '../../src/custody/key-custody.ts';

const DAY = 86_400_000;
// A long draining period makes verifiableUntil far later than exp + clockSkew, so a policy change
// that shortened it afterwards would show.
const LONG = {
  maxTokenLifetimeSeconds: 7200,
  jwksMaxAgeSeconds: 3600,
  clockSkewSeconds: 300,
  drainingPeriodSeconds: 7 * 86_400,
};
// The shortest policy the rules allow for these fields.
const SHORT = { maxTokenLifetimeSeconds: 60, jwksMaxAgeSeconds: 0, clockSkewSeconds: 0, drainingPeriodSeconds: 60 };

type Step = 'rotateTwice' | 'changePolicy' | 'restart' | 'revokeAnother';

for (const custody of CUSTODIES) {
  describe(`the signing API guarantee: the key stays published until verifiableUntil (${custody} custody)`, () => {
    let context: TestContext;
    afterEach(() => context.close());

    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
      context.app.inject({ method, url, headers: context.admin, ...(payload === undefined ? {} : { payload }) });
    const jwks = async () => (await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const published = async (kid: string) => (await jwks()).keys.some((key: { kid: string }) => key.kid === kid);

    const steps: Record<Step, () => Promise<void>> = {
      async rotateTwice() {
        for (let i = 0; i < 2; i++) {
          const rotated = await call('POST', `/signet/v1/key-sets/${defaultKeySetId(context)}/rotate`, { force: true });
          assert.equal(rotated.statusCode, 200, rotated.body);
          context.advance(60_000);
        }
      },
      async changePolicy() {
        const changed = await call('PATCH', `/signet/v1/key-sets/${defaultKeySetId(context)}`, { policy: SHORT });
        assert.equal(changed.statusCode, 200, changed.body);
      },
      async restart() {
        await context.close({ keepData: true });
        context = await createTestContext({
          custody,
          restartFrom: { dir: context.dir, masterKeyText: context.masterKeyText },
        });
      },
      async revokeAnother() {
        const keys = (await call('GET', `/signet/v1/key-sets/${defaultKeySetId(context)}/keys`)).json().items;
        const other = keys.find((key: { state: string }) => key.state === 'next');
        const revoked = await call('POST', `/signet/v1/key-sets/${defaultKeySetId(context)}/keys/${other.kid}/revoke`);
        assert.equal(revoked.statusCode, 200, revoked.body);
      },
    };

    const orders: Step[][] = [
      ['rotateTwice', 'changePolicy', 'restart', 'revokeAnother'],
      // The policy shrinks while the signing key is still active: its promise must survive that too.
      ['changePolicy', 'restart', 'revokeAnother', 'rotateTwice'],
    ];

    for (const order of orders) {
      test(`sign with the longest lifetime, then ${order.join(', ')}: verifiable until verifiableUntil`, async () => {
        context = await createTestContext({ custody });
        const policy = await call('PATCH', `/signet/v1/key-sets/${defaultKeySetId(context)}`, { policy: LONG });
        assert.equal(policy.statusCode, 200, policy.body);

        const tooLong = await call('POST', '/signet/v1/authorization-servers/default/sign', {
          claims: { sub: 'user-1' },
          expiresIn: LONG.maxTokenLifetimeSeconds + 1,
        });
        assert.equal(tooLong.statusCode, 400);
        assert.equal(tooLong.json().error.code, 'ERR_TOKEN_LIFETIME_TOO_LONG');
        assert.equal(tooLong.json().error.details.lifetimeSeconds, LONG.maxTokenLifetimeSeconds + 1);
        assert.equal(tooLong.json().error.details.maxTokenLifetimeSeconds, LONG.maxTokenLifetimeSeconds);

        const signedAt = context.clock.now;
        const signed = await call('POST', '/signet/v1/authorization-servers/default/sign', {
          claims: { sub: 'user-1', aud: 'my-client' },
          expiresIn: LONG.maxTokenLifetimeSeconds,
        });
        assert.equal(signed.statusCode, 200, signed.body);
        const { jwt, kid, expiresAt, verifiableUntil } = signed.json();
        const expiresAtMs = Date.parse(expiresAt);
        const verifiableUntilMs = Date.parse(verifiableUntil);
        assert.equal(expiresAtMs, Math.floor(signedAt / 1000) * 1000 + LONG.maxTokenLifetimeSeconds * 1000);
        assert.ok(verifiableUntilMs >= expiresAtMs + LONG.clockSkewSeconds * 1000, 'never before exp + clock skew');
        assert.equal(verifiableUntilMs, signedAt + LONG.drainingPeriodSeconds * 1000, 'the retire rule of the policy');

        for (const step of order) await steps[step]();

        // Just before exp the token still verifies as a JWT against what is published then.
        context.clock.now = expiresAtMs - 1000;
        await context.scheduler.runOnce();
        await jwtVerify(jwt, createLocalJWKSet(await jwks()), {
          issuer: BASE_URL,
          audience: 'my-client',
          currentDate: new Date(context.clock.now),
        });
        context.clock.now = expiresAtMs;
        await context.scheduler.runOnce();
        assert.ok(await published(kid), 'published at expiresAt');
        // The key stays published (its signature verifies against the JWKS) up to verifiableUntil.
        for (const at of [expiresAtMs + DAY, verifiableUntilMs - DAY, verifiableUntilMs - 1000]) {
          context.clock.now = at;
          await context.scheduler.runOnce();
          assert.ok(await published(kid), `still published at ${new Date(at).toISOString()}`);
          await compactVerify(jwt, createLocalJWKSet(await jwks()));
        }
        // Retirement does happen once the promise is kept (the checks above can fail).
        context.clock.now = verifiableUntilMs + 30 * DAY;
        await context.scheduler.runOnce();
        assert.equal(await published(kid), false, 'retired long after verifiableUntil');
      });
    }
  });
}

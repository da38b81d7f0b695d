import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';
import type { SoftHsmToken } from '../helpers/softhsm-token.ts';

const SAFE_WINDOW_MS = (3600 + 300) * 1000;

/**
 * A PKCS#11 token that goes away while Signet runs (docs/spec.md §7): what needs the token answers
 * 503 in each surface's envelope and /readyz says so; what does not (the JWKS) keeps serving; and
 * everything resumes once the token is back, without a restart.
 */
describe('pkcs11 custody: the token goes away and comes back', () => {
  let context: TestContext;
  let token: SoftHsmToken;
  before(async () => {
    context = await createTestContext({ custody: 'pkcs11' });
    token = context.token as SoftHsmToken;
    context.advance(SAFE_WINDOW_MS);
  });
  after(() => context.close());

  const readyz = async () => (await context.app.inject({ method: 'GET', url: '/readyz' })).json();

  test('while away: 503 ERR_CUSTODY_UNAVAILABLE natively, 503 in Auth0 form, /readyz degraded, JWKS still served', async () => {
    assert.deepEqual(await readyz(), { status: 'ready', database: 'ok', custody: 'ok' });
    const jwksBefore = (await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).body;
    const putBack = token.takeAway();
    try {
      // Before anything tried to sign: /readyz itself notices.
      assert.deepEqual(await readyz(), { status: 'degraded', database: 'ok', custody: 'unavailable' });
      const native = await context.app.inject({
        method: 'POST',
        url: `/signet/v1/key-sets/${defaultKeySetId(context)}/rotate`,
        headers: context.admin,
        payload: {},
      });
      assert.equal(native.statusCode, 503);
      assert.equal(native.json().error.code, 'ERR_CUSTODY_UNAVAILABLE');

      const auth0 = await context.app.inject({
        method: 'POST',
        url: '/api/v2/keys/signing/rotate',
        headers: context.admin,
      });
      assert.equal(auth0.statusCode, 503);
      assert.equal(auth0.json().statusCode, 503);
      assert.equal(typeof auth0.json().errorCode, 'string');

      assert.deepEqual(await readyz(), { status: 'degraded', database: 'ok', custody: 'unavailable' });
      const jwks = await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.equal(jwks.statusCode, 200);
      assert.equal(jwks.body, jwksBefore);
    } finally {
      putBack();
    }
  });

  test('back: /readyz is ready again and rotation works without a restart', async () => {
    assert.deepEqual(await readyz(), { status: 'ready', database: 'ok', custody: 'ok' });
    const rotated = await context.app.inject({
      method: 'POST',
      url: `/signet/v1/key-sets/${defaultKeySetId(context)}/rotate`,
      headers: context.admin,
      payload: {},
    });
    assert.equal(rotated.statusCode, 200, rotated.body);
  });
});

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { custodyRef } from '../../src/custody/create-custodies.ts';
import { isSignetError } from '../../src/errors.ts';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';

const SAFE_WINDOW_MS = (3600 + 300) * 1000;
const DAY = 86_400_000;

/** What only the pkcs11 custody does in the lifecycle: destroy on the token, sign certificates there. */
describe('pkcs11 custody through the lifecycle', () => {
  let context: TestContext;
  let keySetId: string;
  before(async () => {
    context = await createTestContext({ custody: 'pkcs11' });
    keySetId = defaultKeySetId(context);
  });
  after(() => context.close());

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    context.app.inject({ method, url: `/signet/v1${url}`, headers: context.admin, ...(payload ? { payload } : {}) });
  const onToken = async (kid: string): Promise<boolean> => {
    const key = await context.services.keys.getKey('default', keySetId, kid);
    try {
      await context.custodies.get('pkcs11').readPublicKey(custodyRef(key));
      return true;
    } catch (error) {
      if (isSignetError(error, 'ERR_INTERNAL')) return false;
      throw error;
    }
  };
  const destroyedEvents = async () =>
    (await context.services.audit.listAuditEvents('default', { keySetId, action: 'key.destroyed' })).items.map(
      (event) => event.kid,
    );

  test('revoking a key destroys it on the token, audited', async () => {
    const { nextKid } = (await call('GET', `/key-sets/${keySetId}`)).json();
    assert.equal(await onToken(nextKid), true);
    assert.equal((await call('POST', `/key-sets/${keySetId}/keys/${nextKid}/revoke`, {})).statusCode, 200);
    assert.equal(await onToken(nextKid), false);
    assert.deepEqual(await destroyedEvents(), [nextKid]);
  });

  test('emergency rotate destroys the compromised key on the token', async () => {
    context.advance(SAFE_WINDOW_MS);
    const { activeKid } = (await call('GET', `/key-sets/${keySetId}`)).json();
    const response = await call('POST', `/key-sets/${keySetId}/emergency-rotate`, {});
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(await onToken(activeKid), false);
    assert.ok((await destroyedEvents()).includes(activeKid));
  });

  test('the scheduler retires a draining key and destroys it on the token', async () => {
    context.advance(SAFE_WINDOW_MS);
    const { activeKid } = (await call('GET', `/key-sets/${keySetId}`)).json();
    assert.equal((await call('POST', `/key-sets/${keySetId}/rotate`, {})).statusCode, 200);
    assert.equal(await onToken(activeKid), true, 'a draining key still signs nothing but stays');
    context.advance(3 * 3600_000);
    await context.scheduler.runOnce();
    assert.equal((await context.services.keys.getKey('default', keySetId, activeKid)).state, 'retired');
    assert.equal(await onToken(activeKid), false);
  });

  test('certificates renewed by the scheduler are signed on the token by the key they certify', async () => {
    const { activeKid } = (await call('GET', `/key-sets/${keySetId}`)).json();
    const before = await context.services.keys.getKey('default', keySetId, activeKid);
    context.advance(340 * DAY);
    await context.scheduler.runOnce();
    const after = await context.services.keys.getKey('default', keySetId, activeKid);
    assert.ok(after.certificateNotAfter > before.certificateNotAfter, 'renewed');
    const certificate = new X509Certificate(Buffer.from(after.certificateDer, 'base64'));
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed by the token key');
    assert.equal(after.tokenObjectId, before.tokenObjectId);
  });

  test('a pkcs11 key set is refused on an instance without a token, with a clear 400', async () => {
    const sealedOnly = await createTestContext();
    try {
      const response = await sealedOnly.app.inject({
        method: 'POST',
        url: '/signet/v1/key-sets',
        headers: sealedOnly.admin,
        payload: { ownerId: 'default', alg: 'ES256', custody: 'pkcs11' },
      });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'ERR_VALIDATION');
      assert.deepEqual(response.json().error.details.fields, ['custody']);
    } finally {
      await sealedOnly.close();
    }
  });
});

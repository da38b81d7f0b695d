import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { custodyRef } from '../../src/custody/create-custodies.ts';
import type { RequestContext } from '../../src/domain/types.ts';
import { isSignetError } from '../../src/errors.ts';
import { createScheduler } from '../../src/scheduler/create-scheduler.ts';
import { destroyLeftKeys } from '../../src/services/destroy-left-keys.ts';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';
import type { SoftHsmToken } from '../helpers/softhsm-token.ts';

const SAFE_WINDOW_MS = (3600 + 300) * 1000;
const RETIRE_AFTER_MS = 3 * 3600_000;
const SWEEPER: RequestContext = {
  actor: { type: 'scheduler', id: 'scheduler', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'scheduler',
};

/**
 * A retired key whose token object could not be destroyed because the token was away stays on the
 * token until a sweep destroys it; the destruction is audited once, however many instances sweep.
 */
describe('pkcs11 custody: the sweep destroys what retired keys left on the token', () => {
  let context: TestContext;
  let token: SoftHsmToken;
  let keySetId: string;
  before(async () => {
    context = await createTestContext({ custody: 'pkcs11' });
    token = context.token as SoftHsmToken;
    keySetId = defaultKeySetId(context);
  });
  after(() => context.close());

  const call = (method: 'GET' | 'POST', url: string) =>
    context.app.inject({ method, url: `/signet/v1${url}`, headers: context.admin, payload: {} });
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
  const destroyedEvents = async (kid: string) =>
    (await context.services.audit.listAuditEvents('default', { keySetId, kid, action: 'key.destroyed' })).items;

  /** Rotates, then lets the scheduler retire the drained key while the token is away: its object stays. */
  async function retireWhileAway(): Promise<string> {
    context.advance(SAFE_WINDOW_MS);
    const { activeKid } = (await call('GET', `/key-sets/${keySetId}`)).json();
    assert.equal((await call('POST', `/key-sets/${keySetId}/rotate`)).statusCode, 200);
    context.advance(RETIRE_AFTER_MS);
    const putBack = token.takeAway();
    try {
      await context.scheduler.runOnce();
      assert.equal((await context.services.keys.getKey('default', keySetId, activeKid)).state, 'retired');
    } finally {
      putBack();
    }
    assert.equal(await onToken(activeKid), true, 'the retired key was left on the token');
    assert.deepEqual(await destroyedEvents(activeKid), []);
    return activeKid;
  }

  test("the scheduler's sweep after the token is back destroys the left object, audited once", async () => {
    const kid = await retireWhileAway();
    assert.equal(await context.scheduler.sweepOnce(), true);
    assert.equal(await onToken(kid), false);
    const events = await destroyedEvents(kid);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.details.sweep, true);
    // Sweeping again finds nothing: no second event.
    assert.deepEqual(await context.services.keys.sweepLeftTokenObjects(SWEEPER), []);
    assert.equal((await destroyedEvents(kid)).length, 1);
  });

  test('an instance sharing the database and the token that destroys the key after another did writes no second event', async () => {
    const kid = await retireWhileAway();
    const other = await createTestContext({
      custody: 'pkcs11',
      restartFrom: { dir: context.dir, masterKeyText: context.masterKeyText },
    });
    try {
      // Both instances found the object and destroyed it; the one that comes second finds it gone.
      const key = await context.services.keys.getKey('default', keySetId, kid);
      const keySet = context.registry.getKeySetView(keySetId)!.keySet;
      assert.deepEqual(
        (await context.services.keys.sweepLeftTokenObjects(SWEEPER)).map((left) => left.kid),
        [kid],
      );
      const deps = { store: other.store, custodies: other.custodies, now: () => other.clock.now };
      assert.deepEqual(
        (await destroyLeftKeys(deps, SWEEPER, keySet, [key])).map((left) => left.kid),
        [kid],
      );
      assert.deepEqual(await other.services.keys.sweepLeftTokenObjects(SWEEPER), []);
      assert.equal(await onToken(kid), false);
      assert.equal((await destroyedEvents(kid)).length, 1);
    } finally {
      await other.close({ keepData: true });
    }
  });

  test('while the token is away the sweep answers 503 and leaves the object for the next one', async () => {
    const kid = await retireWhileAway();
    const putBack = token.takeAway();
    try {
      await assert.rejects(context.services.keys.sweepLeftTokenObjects(SWEEPER), (error: unknown) =>
        isSignetError(error, 'ERR_CUSTODY_UNAVAILABLE'),
      );
    } finally {
      putBack();
    }
    assert.equal(await onToken(kid), true);
    assert.deepEqual(
      (await context.services.keys.sweepLeftTokenObjects(SWEEPER)).map((key) => key.kid),
      [kid],
    );
    assert.equal(await onToken(kid), false);
    assert.equal((await destroyedEvents(kid)).length, 1);
  });

  test('a destruction tried while the token is away is not taken for done: no event, the object stays', async () => {
    const kid = await retireWhileAway();
    const key = await context.services.keys.getKey('default', keySetId, kid);
    const keySet = context.registry.getKeySetView(keySetId)!.keySet;
    const deps = { store: context.store, custodies: context.custodies, now: () => context.clock.now };
    const putBack = token.takeAway();
    try {
      // SoftHSM2 answers finds and destroys on a session whose token went away: only the token's own answer tells.
      assert.deepEqual(await destroyLeftKeys(deps, SWEEPER, keySet, [key]), []);
    } finally {
      putBack();
    }
    assert.deepEqual(await destroyedEvents(kid), []);
    assert.equal(await onToken(kid), true);
    await context.services.keys.sweepLeftTokenObjects(SWEEPER);
    assert.equal(await onToken(kid), false);
  });

  test('a started scheduler sweeps the token at once', async () => {
    const kid = await retireWhileAway();
    const scheduler = createScheduler({
      registry: context.registry,
      keys: context.services.keys,
      now: () => context.clock.now,
      intervalMs: 1000,
      sweepIntervalMs: 3_600_000,
    });
    scheduler.start();
    try {
      // Waits for the sweep's outcome (not for a time): the event appears once the object is destroyed.
      for (let polls = 0; (await destroyedEvents(kid)).length === 0; polls += 1) {
        assert.ok(polls < 500, 'the started scheduler swept the token');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await scheduler.stop();
    }
    assert.equal(await onToken(kid), false);
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';

interface PlanItem {
  at: string;
  action: string;
  kid: string | null;
}

let context: TestContext;
beforeEach(async () => {
  context = await createTestContext();
});
afterEach(() => context.close());

async function plan(keySetId: string): Promise<PlanItem[]> {
  const response = await context.app.inject({
    method: 'GET',
    url: `/signet/v1/key-sets/${keySetId}/plan`,
    headers: context.admin,
  });
  assert.equal(response.statusCode, 200);
  return response.json().items;
}

async function scheduledEvents(keySetId: string) {
  const page = await context.services.audit.listAuditEvents('default', { keySetId, limit: 100 });
  return page.items.filter((event) => event.operation === 'schedule');
}

test('GET /key-sets/{id}/plan shows exactly what the scheduler does and when: nothing a millisecond early, each step at its time', async () => {
  const keySetId = defaultKeySetId(context);
  const patched = await context.app.inject({
    method: 'PATCH',
    url: `/signet/v1/key-sets/${keySetId}`,
    headers: context.admin,
    payload: {
      policy: {
        rotationPeriodSeconds: 3600,
        jwksMaxAgeSeconds: 600,
        clockSkewSeconds: 60,
        maxTokenLifetimeSeconds: 600,
        drainingPeriodSeconds: 1260,
      },
    },
  });
  assert.equal(patched.statusCode, 200);

  const EVENT_OF: Record<string, string> = {
    rotate: 'key.draining',
    retire: 'key.retired',
    renewCertificate: 'key.certificateRenewed',
  };
  const followed: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    const [step] = await plan(keySetId);
    const expected = step!.action;
    followed.push(expected);
    const at = Date.parse(step!.at);
    const before = (await scheduledEvents(keySetId)).length;

    context.clock.now = at - 1;
    await context.scheduler.runOnce();
    assert.equal((await scheduledEvents(keySetId)).length, before, `${expected} does not happen before the plan says`);

    context.clock.now = at;
    await context.scheduler.runOnce();
    const done = (await scheduledEvents(keySetId)).slice(0, (await scheduledEvents(keySetId)).length - before);
    assert.ok(done.length > 0, `${expected} happens at the planned time`);
    for (const event of done) assert.equal(event.at, at);
    const concerned = done.find((event) => event.kid === step!.kid)!;
    assert.equal(concerned.action, EVENT_OF[expected], 'on the key the plan names');
  }
  // Rotations every hour. The first drained key was active when the policy was cut, so it keeps
  // the old policy's retention (125 min, what a signing API verifiableUntil promised then; see
  // src/domain/apply-policy-change.ts); the second signed only 10 min tokens under the new policy
  // (kept 21 min): it retires before the third rotation, the first one after it.
  assert.deepEqual(followed, ['rotate', 'rotate', 'retire', 'rotate']);
});

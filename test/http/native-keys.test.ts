import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  createTestContext,
  defaultKeySetId,
  findPrivateMaterial,
  type TestContext,
} from '../helpers/create-test-context.ts';

const SAFE_WINDOW_MS = (3600 + 300) * 1000;

// Every test runs on both custodies: keys sealed in the database, and keys on a SoftHSM2 token.
for (const custody of ['sealed', 'pkcs11'] as const) {
  describe(`native key lifecycle API (${custody} custody)`, () => {
    let context: TestContext;
    let keySetId: string;
    beforeEach(async () => {
      context = await createTestContext({ custody });
      keySetId = defaultKeySetId(context);
    });
    afterEach(() => context.close());

    const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
      context.app.inject({
        method,
        url: `/signet/v1${url}`,
        headers: context.admin,
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const jwksKids = async () =>
      (await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
        .json()
        .keys.map((k: { kid: string }) => k.kid)
        .sort();

    test('GET /key-sets/{id} shows the policy, the active and next kids and the next transition', async () => {
      const response = await call('GET', `/key-sets/${keySetId}`);
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.alg, 'RS256');
      assert.equal(body.policy.mode, 'AUTO');
      assert.ok(body.activeKid && body.nextKid && body.activeKid !== body.nextKid);
      assert.equal(body.nextTransition.action, 'rotate');
    });

    test('GET /key-sets/{id}/keys lists keys and filters by state', async () => {
      const all = (await call('GET', `/key-sets/${keySetId}/keys`)).json().items;
      assert.deepEqual(all.map((k: { state: string }) => k.state).sort(), ['active', 'next']);
      const next = (await call('GET', `/key-sets/${keySetId}/keys?state=next`)).json().items;
      assert.equal(next.length, 1);
      assert.equal(next[0].state, 'next');
      assert.deepEqual(findPrivateMaterial(JSON.stringify(all)), []);
      const one = await call('GET', `/key-sets/${keySetId}/keys/${next[0].kid}`);
      assert.equal(one.json().kid, next[0].kid);
      assert.equal(one.json().certificate.x5c.length, 1);
      assert.equal((await call('GET', `/key-sets/${keySetId}/keys/nope`)).statusCode, 404);
      assert.equal((await call('GET', `/key-sets/${keySetId}/keys?state=bogus`)).statusCode, 400);
    });

    test('POST /rotate before the next key was published for jwksMaxAge + clockSkew is refused with the earliest safe time', async () => {
      const response = await call('POST', `/key-sets/${keySetId}/rotate`, {});
      assert.equal(response.statusCode, 409);
      const { error } = response.json();
      assert.equal(error.code, 'ERR_ROTATION_UNSAFE');
      assert.equal(error.details.earliestSafeAt, new Date(context.clock.now + SAFE_WINDOW_MS).toISOString());
      assert.equal(
        (await call('GET', `/key-sets/${keySetId}/keys?state=draining`)).json().items.length,
        0,
        'nothing changed',
      );
    });

    test('POST /rotate after the safe time promotes next, drains active and publishes a fresh next key', async () => {
      const before = (await call('GET', `/key-sets/${keySetId}`)).json();
      context.advance(SAFE_WINDOW_MS);
      const response = await call('POST', `/key-sets/${keySetId}/rotate`, {});
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      const state = (kid: string) => body.keys.find((k: { kid: string }) => k.kid === kid)?.state;
      assert.equal(state(before.nextKid), 'active');
      assert.equal(state(before.activeKid), 'draining');
      assert.equal(body.created.state, 'next');
      // The created key is the whole key resource, as its GET shows it.
      assert.deepEqual(body.created, (await call('GET', `/key-sets/${keySetId}/keys/${body.created.kid}`)).json());
      assert.equal(body.keySet.activeKid, before.nextKid);
      assert.deepEqual(await jwksKids(), [before.activeKid, before.nextKid, body.created.kid].sort());
    });

    test('POST /rotate with force rotates at once', async () => {
      const response = await call('POST', `/key-sets/${keySetId}/rotate`, { force: true });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().keys.length, 3);
    });

    test('revoking a draining key removes it from the JWKS at once; the active key is refused; a next key is replaced', async () => {
      const first = (await call('POST', `/key-sets/${keySetId}/rotate`, { force: true })).json();
      const draining = first.keys.find((k: { state: string }) => k.state === 'draining').kid;
      const active = first.keySet.activeKid;
      const next = first.keySet.nextKid;

      const refused = await call('POST', `/key-sets/${keySetId}/keys/${active}/revoke`, {});
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, 'ERR_KEY_ACTIVE');

      const revoked = await call('POST', `/key-sets/${keySetId}/keys/${draining}/revoke`, {});
      assert.equal(revoked.statusCode, 200);
      assert.equal(revoked.json().created, null, 'revoking a draining key creates none');
      assert.ok(!(await jwksKids()).includes(draining));
      assert.equal((await call('GET', `/key-sets/${keySetId}/keys/${draining}`)).json().state, 'revoked');

      const again = await call('POST', `/key-sets/${keySetId}/keys/${draining}/revoke`, {});
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'ERR_INVALID_TRANSITION');

      const replaced = (await call('POST', `/key-sets/${keySetId}/keys/${next}/revoke`, {})).json();
      assert.equal(replaced.created.state, 'next');
      assert.notEqual(replaced.keySet.nextKid, next);
      assert.ok(!(await jwksKids()).includes(next));
      assert.equal((await call('POST', `/key-sets/${keySetId}/keys/unknown-kid/revoke`, {})).statusCode, 404);
    });

    test('emergency rotate promotes next and revokes the compromised key in one step', async () => {
      const before = (await call('GET', `/key-sets/${keySetId}`)).json();
      const response = await call('POST', `/key-sets/${keySetId}/emergency-rotate`, {});
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().keySet.activeKid, before.nextKid);
      assert.equal((await call('GET', `/key-sets/${keySetId}/keys/${before.activeKid}`)).json().state, 'revoked');
      assert.ok(!(await jwksKids()).includes(before.activeKid));
    });

    test('import of a PEM private key enters as next and replaces the unused next key', async () => {
      const before = (await call('GET', `/key-sets/${keySetId}`)).json();
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
      const response = await call('POST', `/key-sets/${keySetId}/keys/import`, { privateKey: pem });
      assert.equal(response.statusCode, 201, response.body);
      const body = response.json();
      assert.equal(body.created.origin, 'imported');
      assert.equal(body.created.state, 'next');
      assert.deepEqual(findPrivateMaterial(response.body), []);
      assert.equal((await call('GET', `/key-sets/${keySetId}/keys/${before.nextKid}`)).json().state, 'revoked');
      const duplicate = await call('POST', `/key-sets/${keySetId}/keys/import`, { privateKey: pem });
      assert.equal(duplicate.statusCode, 409);
    });

    test('import of a JWK private key works; a wrong key type or garbage is a 400 that does not echo the input', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const ok = await call('POST', `/key-sets/${keySetId}/keys/import`, {
        privateKey: privateKey.export({ format: 'jwk' }),
      });
      assert.equal(ok.statusCode, 201, ok.body);
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
        format: 'pem',
        type: 'pkcs8',
      }) as string;
      const wrongType = await call('POST', `/key-sets/${keySetId}/keys/import`, { privateKey: ec });
      assert.equal(wrongType.statusCode, 400);
      assert.equal(wrongType.json().error.code, 'ERR_INVALID_KEY');
      assert.deepEqual(findPrivateMaterial(wrongType.body), []);
      const garbage = await call('POST', `/key-sets/${keySetId}/keys/import`, { privateKey: 'not a key' });
      assert.equal(garbage.statusCode, 400);
      assert.ok(!garbage.body.includes('not a key'));
    });

    test('PATCH /key-sets/{id} changes the policy and refuses a contradiction naming both values', async () => {
      const changed = await call('PATCH', `/key-sets/${keySetId}`, {
        policy: { mode: 'MANUAL', jwksMaxAgeSeconds: 600 },
      });
      assert.equal(changed.statusCode, 200);
      assert.equal(changed.json().policy.mode, 'MANUAL');
      assert.equal(changed.json().policy.jwksMaxAgeSeconds, 600);
      const jwks = await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.equal(jwks.headers['cache-control'], 'public, max-age=600, must-revalidate');

      const conflict = await call('PATCH', `/key-sets/${keySetId}`, { policy: { maxTokenLifetimeSeconds: 86_400 } });
      assert.equal(conflict.statusCode, 422);
      assert.equal(conflict.json().error.code, 'ERR_POLICY_CONFLICT');
      assert.match(conflict.json().error.message, /drainingPeriodSeconds \(7500\).*maxTokenLifetimeSeconds \(86400\)/);
      assert.deepEqual(conflict.json().error.details.fields.slice(0, 2), [
        'drainingPeriodSeconds',
        'maxTokenLifetimeSeconds',
      ]);

      for (const bad of [
        { policy: { mode: 'SOMETIMES' } },
        { policy: { jwksMaxAgeSeconds: 'soon' } },
        { policy: { bogus: 1 } },
        {},
      ]) {
        const response = await call('PATCH', `/key-sets/${keySetId}`, bad);
        assert.equal(response.statusCode, 400, JSON.stringify(bad));
        assert.equal(response.json().error.code, 'ERR_VALIDATION');
      }
    });

    test('cutting jwksMaxAge does not make a rotation safe before copies cached under the old max-age expire', async () => {
      const cutAt = context.clock.now;
      assert.equal(
        (await call('PATCH', `/key-sets/${keySetId}`, { policy: { jwksMaxAgeSeconds: 60 } })).statusCode,
        200,
      );
      context.advance((60 + 300) * 1000);
      const refused = await call('POST', `/key-sets/${keySetId}/rotate`, {});
      assert.equal(refused.statusCode, 409, 'verifiers may still hold the JWKS they were told to keep for an hour');
      assert.equal(refused.json().error.details.earliestSafeAt, new Date(cutAt + (3600 + 300) * 1000).toISOString());
      context.clock.now = cutAt + (3600 + 300) * 1000;
      assert.equal((await call('POST', `/key-sets/${keySetId}/rotate`, {})).statusCode, 200);
    });

    test('GET /key-sets/{id}/plan lists the scheduled transitions soonest first', async () => {
      const plan = (await call('GET', `/key-sets/${keySetId}/plan`)).json().items;
      assert.deepEqual(
        plan.map((t: { action: string }) => t.action),
        ['rotate', 'renewCertificate', 'renewCertificate'],
      );
      assert.equal(plan[0].at, new Date(context.clock.now + 90 * 86_400_000).toISOString());
    });

    test('POST /key-sets creates an ES256 key set whose keys reach the JWKS', async () => {
      const response = await call('POST', '/key-sets', { ownerId: 'default', alg: 'ES256' });
      assert.equal(response.statusCode, 201, response.body);
      const created = response.json();
      assert.equal(created.keySet.alg, 'ES256');
      assert.equal(created.keys.length, 2);
      const jwks = (await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      assert.equal(jwks.keys.filter((k: { alg: string }) => k.alg === 'ES256').length, 2);
      const list = (await call('GET', '/key-sets')).json().items;
      assert.equal(list.length, 2);
      assert.equal((await call('POST', '/key-sets', { ownerId: 'nope', alg: 'ES256' })).statusCode, 404);
      assert.equal((await call('POST', '/key-sets', { ownerId: 'default', alg: 'HS256' })).statusCode, 400);
    });

    test('an unknown key set is 404 for every route', async () => {
      for (const [method, url] of [
        ['GET', '/key-sets/ks_nope'],
        ['GET', '/key-sets/ks_nope/keys'],
        ['POST', '/key-sets/ks_nope/rotate'],
        ['PATCH', '/key-sets/ks_nope'],
      ] as const) {
        const response = await call(
          method,
          url,
          method === 'GET' ? undefined : method === 'PATCH' ? { policy: {} } : {},
        );
        assert.equal(response.statusCode, 404, `${method} ${url}`);
        assert.equal(response.json().error.code, 'ERR_KEY_SET_NOT_FOUND');
      }
    });

    test('every lifecycle step writes audit events naming the actor', async () => {
      await call('POST', `/key-sets/${keySetId}/rotate`, { force: true });
      const events = (await call('GET', `/audit-events?keySetId=${keySetId}&limit=10`)).json().items;
      const rotateEvents = events.filter((e: { operation: string }) => e.operation === 'rotate');
      assert.deepEqual(rotateEvents.map((e: { action: string }) => e.action).sort(), [
        'key.activated',
        'key.draining',
        'key.generated',
      ]);
      for (const event of rotateEvents) assert.equal(event.actor.type, 'apiToken');
    });
  });
}

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_TOKEN, createTestContext, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';

const SSWS = { authorization: `SSWS ${ADMIN_TOKEN}` };
const AS = '/api/v1/authorizationServers';

/** Asserts Okta's error envelope (docs/vendor-contracts.md §2.1, Okta: `Error`) with a JSON Content-Type. */
function assertOktaError(
  response: LightMyRequestResponse,
  status: number,
  errorCode: string,
  errorSummary?: string,
  causes?: string[],
): void {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['errorCauses', 'errorCode', 'errorId', 'errorLink', 'errorSummary']);
  assert.equal(body.errorCode, errorCode);
  assert.equal(body.errorLink, errorCode);
  assert.equal(typeof body.errorId, 'string');
  if (errorSummary !== undefined) assert.equal(body.errorSummary, errorSummary);
  if (causes !== undefined)
    assert.deepEqual(
      body.errorCauses,
      causes.map((cause) => ({ errorSummary: cause })),
    );
}

describe('Okta authorization servers over raw HTTP', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = await createTestContext();
  });
  afterEach(() => context.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = SSWS,
  ) => context.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  async function tokenWith(scopes: string[]): Promise<Record<string, string>> {
    const created = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/api-tokens',
      headers: context.admin,
      payload: { name: scopes.join(' '), scopes },
    });
    assert.equal(created.statusCode, 201, created.body);
    return { authorization: `SSWS ${created.json().token}` };
  }

  test('GET /api/v1/authorizationServers/default carries credentials.signing from the real schedule and the links', async () => {
    const response = await call('GET', `${AS}/default`);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const server = response.json();
    const schedule = await context.services.keys.getSchedule('default', defaultKeySetId(context));
    const rotation = schedule.find((transition) => transition.action === 'rotate')!;
    const active = (await context.services.keys.listKeys('default', defaultKeySetId(context), ['active']))[0]!;
    assert.deepEqual(server.credentials.signing, {
      rotationMode: 'AUTO',
      kid: active.kid,
      use: 'sig',
      lastRotated: new Date(active.activatedAt!).toISOString(),
      nextRotation: new Date(rotation.at).toISOString(),
    });
    assert.equal(
      server._links.rotateKey.href,
      'http://signet.test/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate',
    );
    assert.deepEqual(server._links.rotateKey.hints.allow, ['POST']);
    assert.deepEqual(
      server._links.metadata.map((link: { href: string }) => link.href),
      [
        'http://signet.test/oauth2/default/.well-known/oauth-authorization-server',
        'http://signet.test/oauth2/default/.well-known/openid-configuration',
      ],
    );
    const list = await call('GET', AS);
    assert.deepEqual(
      list.json().map((item: { id: string }) => item.id),
      ['default'],
    );
  });

  test('PUT switches rotationMode onto the key set policy without touching the active key; bad values are E0000001', async () => {
    const before = (await call('GET', `${AS}/default`)).json();
    const manual = await call('PUT', `${AS}/default`, {
      ...before,
      credentials: { signing: { rotationMode: 'MANUAL', use: 'sig' } },
    });
    assert.equal(manual.statusCode, 200);
    assert.equal(manual.json().credentials.signing.rotationMode, 'MANUAL');
    assert.equal(manual.json().credentials.signing.nextRotation, undefined);
    assert.equal(manual.json().credentials.signing.kid, before.credentials.signing.kid);
    assert.equal((await context.services.keys.getKeySet('default', defaultKeySetId(context))).policy.mode, 'MANUAL');
    assert.ok(
      !(await context.services.keys.getSchedule('default', defaultKeySetId(context))).some(
        (transition) => transition.action === 'rotate',
      ),
    );

    const policyEvent = (
      await context.app.inject({
        method: 'GET',
        url: '/signet/v1/audit-events?action=keySet.policyUpdated',
        headers: context.admin,
      })
    ).json().items[0];
    assert.equal(policyEvent.details.after.mode, 'MANUAL');
    assert.equal(policyEvent.details.surface, 'okta');
    const renamed = await call('PUT', `${AS}/default`, {
      name: 'Renamed',
      audiences: ['api://default', 'api://other'],
    });
    assert.equal(renamed.json().name, 'Renamed');
    assert.deepEqual(renamed.json().audiences, ['api://default', 'api://other']);

    assertOktaError(
      await call('PUT', `${AS}/default`, { credentials: { signing: { rotationMode: 'SOMETIMES' } } }),
      400,
      'E0000001',
      'Api validation failed: updateAuthorizationServer',
    );
    assertOktaError(await call('PUT', `${AS}/default`, { audiences: [] }), 400, 'E0000001');
    assertOktaError(await call('PUT', `${AS}/default`, [1, 2]), 400, 'E0000001');
  });

  test('keys: ACTIVE and NEXT with self links, one key by kid, the rotate cycle and its exact 400', async () => {
    const keys = (await call('GET', `${AS}/default/credentials/keys`)).json();
    assert.deepEqual(
      keys.map((key: { status: string }) => key.status),
      ['ACTIVE', 'NEXT'],
    );
    for (const key of keys) {
      assert.deepEqual(Object.keys(key).sort(), ['_links', 'alg', 'e', 'kid', 'kty', 'n', 'status', 'use']);
      assert.equal(
        key._links.self.href,
        `http://signet.test/api/v1/authorizationServers/default/credentials/keys/${key.kid}`,
      );
      assert.deepEqual(key._links.self.hints.allow, ['GET']);
    }
    assert.equal((await call('GET', `${AS}/default/credentials/keys/${keys[1].kid}`)).json().status, 'NEXT');

    const cause = ["Invalid value specified for key 'use' parameter"];
    for (const body of [{ use: 'enc' }, {}, { use: ['sig'] }]) {
      assertOktaError(
        await call('POST', `${AS}/default/credentials/lifecycle/keyRotate`, body),
        400,
        'E0000001',
        'Api validation failed: rotateKeys',
        cause,
      );
    }
    assertOktaError(
      await call('POST', `${AS}/default/credentials/lifecycle/keyRotate`),
      400,
      'E0000001',
      'Api validation failed: rotateKeys',
      cause,
    );
    const emptyJson = await context.app.inject({
      method: 'POST',
      url: `${AS}/default/credentials/lifecycle/keyRotate`,
      headers: { ...SSWS, 'content-type': 'application/json' },
      payload: '',
    });
    assertOktaError(emptyJson, 400, 'E0000001', 'Api validation failed: rotateKeys', cause);
    const notJson = await context.app.inject({
      method: 'POST',
      url: `${AS}/default/credentials/lifecycle/keyRotate`,
      headers: { ...SSWS, 'content-type': 'application/json' },
      payload: '{"use":',
    });
    assertOktaError(notJson, 400, 'E0000003');

    const rotated = await call('POST', `${AS}/default/credentials/lifecycle/keyRotate`, { use: 'sig' });
    assert.equal(rotated.statusCode, 200);
    const statuses = Object.fromEntries(
      rotated.json().map((key: { status: string; kid: string }) => [key.status, key.kid]),
    );
    assert.equal(statuses.ACTIVE, keys[1].kid);
    assert.equal(statuses.EXPIRED, keys[0].kid);
    assert.ok(statuses.NEXT);

    // A second rotation a second later: at most one key per status is listed, the older EXPIRED key drops off the list.
    context.advance(1000);
    const twice = (await call('POST', `${AS}/default/credentials/lifecycle/keyRotate`, { use: 'sig' })).json();
    assert.deepEqual(
      twice.map((key: { status: string }) => key.status),
      ['ACTIVE', 'NEXT', 'EXPIRED'],
    );
    assert.equal(twice.find((key: { status: string }) => key.status === 'EXPIRED').kid, statuses.ACTIVE);
    assert.equal((await call('GET', `${AS}/default/credentials/keys/${keys[0].kid}`)).json().status, 'EXPIRED');
  });

  test('a rotation through Okta is the one lifecycle: native API, audit log and the public JWKS see it at once', async () => {
    const rotated = (await call('POST', `${AS}/default/credentials/lifecycle/keyRotate`, { use: 'sig' })).json();
    const active = rotated.find((key: { status: string }) => key.status === 'ACTIVE').kid;
    const native = await context.app.inject({
      method: 'GET',
      url: `/signet/v1/key-sets/${defaultKeySetId(context)}`,
      headers: context.admin,
    });
    assert.equal(native.json().activeKid, active);
    const audit = await context.app.inject({
      method: 'GET',
      url: '/signet/v1/audit-events?action=key.activated',
      headers: context.admin,
    });
    assert.ok(
      audit
        .json()
        .items.some(
          (event: { kid: string; actor: { type: string } }) => event.kid === active && event.actor.type === 'apiToken',
        ),
    );
    const jwks = (await context.app.inject({ method: 'GET', url: '/oauth2/default/v1/keys' })).json();
    assert.deepEqual(
      new Set(jwks.keys.map((key: { kid: string }) => key.kid)),
      new Set(rotated.map((key: { kid: string }) => key.kid)),
    );
    const discovery = (
      await context.app.inject({ method: 'GET', url: '/oauth2/default/.well-known/openid-configuration' })
    ).json();
    assert.equal(discovery.jwks_uri, 'http://signet.test/oauth2/default/v1/keys');
  });

  test('401 E0000011 without or with a bad token, 403 E0000006 without the scope, 404 E0000007, 405 E0000022', async () => {
    assertOktaError(await call('GET', `${AS}/default`, undefined, {}), 401, 'E0000011', 'Invalid token provided');
    assertOktaError(
      await call('GET', `${AS}/default`, undefined, { authorization: 'SSWS not-a-token' }),
      401,
      'E0000011',
    );
    assertOktaError(await call('GET', `${AS}/default`, undefined, { authorization: 'Bearer a.b.c' }), 401, 'E0000011');

    const idpsOnly = await tokenWith(['okta.idps.manage']);
    assertOktaError(
      await call('GET', `${AS}/default`, undefined, idpsOnly),
      403,
      'E0000006',
      'You do not have permission to perform the requested action',
    );
    const reader = await tokenWith(['okta.authorizationServers.read']);
    assert.equal((await call('GET', `${AS}/default/credentials/keys`, undefined, reader)).statusCode, 200);
    assertOktaError(
      await call('POST', `${AS}/default/credentials/lifecycle/keyRotate`, { use: 'sig' }, reader),
      403,
      'E0000006',
    );
    assertOktaError(
      await call('PUT', `${AS}/default`, { credentials: { signing: { rotationMode: 'MANUAL' } } }, reader),
      403,
      'E0000006',
    );

    assertOktaError(
      await call('GET', `${AS}/ausMissing`),
      404,
      'E0000007',
      'Not found: Resource not found: ausMissing (AuthorizationServer)',
    );
    assertOktaError(await call('GET', `${AS}/ausMissing/credentials/keys`), 404, 'E0000007');
    assertOktaError(
      await call('POST', `${AS}/ausMissing/credentials/lifecycle/keyRotate`, { use: 'sig' }),
      404,
      'E0000007',
    );
    assertOktaError(await call('GET', `${AS}/default/credentials/keys/no-such-kid`), 404, 'E0000007');

    const refused = await call('DELETE', `${AS}/default`);
    assertOktaError(refused, 405, 'E0000022', 'The endpoint does not support the provided HTTP method');
    assert.equal(refused.headers.allow, 'GET, PUT');
    assertOktaError(await call('GET', `${AS}/default/credentials/lifecycle/keyRotate`), 405, 'E0000022');
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  createTestContext,
  defaultKeySetId,
  type TestContext,
} from '../../helpers/create-test-context.ts';
import { apiTokenWith } from '../../helpers/dialect-credentials.ts';

let context: TestContext;
beforeEach(async () => {
  context = await createTestContext();
});
afterEach(() => context.close());

const get = async (url: string, headers: Record<string, string>) =>
  (await context.app.inject({ method: 'GET', url, headers })).json();

/** What every surface says about the default key set right now. */
async function views(onelogin: Record<string, string>, auth0: Record<string, string>) {
  const native = await get(`/signet/v1/key-sets/${defaultKeySetId(context)}`, context.admin);
  const oneLoginKeys = (await get('/oidc/2/signing_keys', onelogin)) as Array<{ kid: string; status: string }>;
  const auth0Keys = (await get('/api/v2/keys/signing', auth0)) as Array<{
    kid: string;
    current: boolean;
    next: boolean;
    previous: boolean;
    revoked: boolean;
  }>;
  const jwks = (await get('/.well-known/jwks.json', {})).keys.map((key: { kid: string }) => key.kid).sort();
  const token = await context.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: ADMIN_CLIENT_ID,
      client_secret: ADMIN_CLIENT_SECRET,
    }).toString(),
  });
  return {
    native,
    oneLoginActive: oneLoginKeys.find((key) => key.status === 'active')!.kid,
    oneLoginDraining: oneLoginKeys
      .filter((key) => key.status === 'draining')
      .map((key) => key.kid)
      .sort(),
    auth0Current: auth0Keys.find((key) => key.current)!.kid,
    auth0Next: auth0Keys.find((key) => key.next)!.kid,
    auth0Previous: auth0Keys
      .filter((key) => key.previous && !key.revoked)
      .map((key) => key.kid)
      .sort(),
    jwks,
    signingKid: decodeProtectedHeader(token.json().access_token).kid,
  };
}

test('a rotation or revocation through one dialect is seen at once by the other dialects, the native API, the JWKS, the token endpoint and the audit log', async () => {
  const onelogin = await apiTokenWith(context, ['manage_all']);
  const auth0 = await apiTokenWith(context, ['read:signing_keys', 'create:signing_keys', 'update:signing_keys']);
  const start = await views(onelogin, auth0);
  assert.equal(start.oneLoginActive, start.native.activeKid);
  assert.equal(start.auth0Current, start.native.activeKid);
  assert.equal(start.auth0Next, start.native.nextKid);

  // OneLogin rotates.
  const rotated = (await context.app.inject({ method: 'POST', url: '/oidc/2/signing_keys', headers: onelogin })).json();
  const afterOneLogin = await views(onelogin, auth0);
  assert.equal(rotated.kid, start.native.nextKid);
  for (const kid of [
    afterOneLogin.native.activeKid,
    afterOneLogin.oneLoginActive,
    afterOneLogin.auth0Current,
    afterOneLogin.signingKid,
  ])
    assert.equal(kid, rotated.kid);
  assert.deepEqual(afterOneLogin.oneLoginDraining, [start.native.activeKid]);
  assert.deepEqual(afterOneLogin.auth0Previous, [start.native.activeKid]);
  assert.equal(afterOneLogin.auth0Next, afterOneLogin.native.nextKid);
  assert.deepEqual(afterOneLogin.jwks, [start.native.activeKid, rotated.kid, afterOneLogin.native.nextKid].sort());

  // Auth0 revokes the key OneLogin drained, then rotates.
  const revoked = await context.app.inject({
    method: 'PUT',
    url: `/api/v2/keys/signing/${start.native.activeKid}/revoke`,
    headers: auth0,
  });
  assert.equal(revoked.statusCode, 200);
  const auth0Rotated = (
    await context.app.inject({ method: 'POST', url: '/api/v2/keys/signing/rotate', headers: auth0 })
  ).json();
  const afterAuth0 = await views(onelogin, auth0);
  assert.equal(auth0Rotated.kid, afterAuth0.native.nextKid);
  for (const kid of [
    afterAuth0.native.activeKid,
    afterAuth0.oneLoginActive,
    afterAuth0.auth0Current,
    afterAuth0.signingKid,
  ])
    assert.equal(kid, afterOneLogin.native.nextKid);
  assert.deepEqual(afterAuth0.oneLoginDraining, [rotated.kid]);
  assert.ok(!afterAuth0.jwks.includes(start.native.activeKid));
  const revokedNative = await get(
    `/signet/v1/key-sets/${defaultKeySetId(context)}/keys/${start.native.activeKid}`,
    context.admin,
  );
  assert.equal(revokedNative.state, 'revoked');

  // Okta rotates (a second later, so "the most recently expired key" Okta lists is well defined);
  // OneLogin, Auth0, the native API, the token endpoint and Okta's own list agree.
  context.advance(1000);
  const okta = await apiTokenWith(context, ['okta.authorizationServers.read', 'okta.authorizationServers.manage']);
  const oktaBefore = (await get('/api/v1/authorizationServers/default/credentials/keys', okta)) as Array<{
    kid: string;
    status: string;
  }>;
  assert.equal(oktaBefore.find((key) => key.status === 'ACTIVE')!.kid, afterAuth0.native.activeKid);
  assert.equal(oktaBefore.find((key) => key.status === 'NEXT')!.kid, afterAuth0.native.nextKid);
  const oktaRotated = await context.app.inject({
    method: 'POST',
    url: '/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate',
    headers: okta,
    payload: { use: 'sig' },
  });
  assert.equal(oktaRotated.statusCode, 200);
  const afterOkta = await views(onelogin, auth0);
  for (const kid of [
    afterOkta.native.activeKid,
    afterOkta.oneLoginActive,
    afterOkta.auth0Current,
    afterOkta.signingKid,
  ])
    assert.equal(kid, afterAuth0.native.nextKid);
  assert.deepEqual(
    (oktaRotated.json() as Array<{ kid: string; status: string }>).map((key) => [key.status, key.kid]),
    [
      ['ACTIVE', afterAuth0.native.nextKid],
      ['NEXT', afterOkta.native.nextKid],
      ['EXPIRED', afterAuth0.native.activeKid],
    ],
  );
  assert.ok(afterOkta.auth0Previous.includes(afterAuth0.native.activeKid));
  assert.equal(
    (await get('/api/v1/authorizationServers/default', okta)).credentials.signing.kid,
    afterOkta.native.activeKid,
  );

  // The audit log names each dialect's credential and source for its own operation.
  const events = (await get('/signet/v1/audit-events', context.admin)).items as Array<{
    action: string;
    kid: string;
    operation: string;
    actor: { id: string };
    sourceIp: string;
    details: Record<string, unknown>;
  }>;
  const actorOf = async (header: Record<string, string>) =>
    (await get('/signet/v1/api-tokens', context.admin)).items.find(
      (token: { name: string }) =>
        token.name ===
        (header === onelogin
          ? 'scopes manage_all'
          : 'scopes read:signing_keys create:signing_keys update:signing_keys'),
    ).id;
  const oneLoginActivation = events.find((event) => event.action === 'key.activated' && event.kid === rotated.kid)!;
  assert.equal(oneLoginActivation.actor.id, await actorOf(onelogin));
  assert.equal(oneLoginActivation.details.surface, 'onelogin');
  const auth0Revocation = events.find(
    (event) => event.action === 'key.revoked' && event.kid === start.native.activeKid,
  )!;
  assert.equal(auth0Revocation.actor.id, await actorOf(auth0));
  assert.equal(auth0Revocation.operation, 'revoke');
  assert.equal(auth0Revocation.sourceIp, '127.0.0.1');
  assert.equal(auth0Revocation.details.surface, 'auth0');
});

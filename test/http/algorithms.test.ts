import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignJWT, createLocalJWKSet, importJWK, jwtVerify } from 'jose';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  BASE_URL,
  createTestContext,
  findPrivateMaterial,
  type TestContext,
} from '../helpers/create-test-context.ts';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

// Every test runs on both custodies: keys sealed in the database, and keys on a SoftHSM2 token.
for (const custody of ['sealed', 'pkcs11'] as const) {
  describe(`every algorithm of docs/spec.md §4, end to end over HTTP (${custody} custody)`, () => {
    let context: TestContext;
    before(async () => {
      context = await createTestContext({ custody });
    });
    after(() => context.close());

    const token = async (serverId: string) => {
      const response = await context.app.inject({
        method: 'POST',
        url: `/oauth2/${serverId}/v1/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: ADMIN_CLIENT_ID,
          client_secret: ADMIN_CLIENT_SECRET,
        }).toString(),
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json().access_token as string;
    };
    const jwks = async (serverId: string) =>
      (await context.app.inject({ method: 'GET', url: `/oauth2/${serverId}/v1/keys` })).json();

    for (const alg of ALGORITHMS) {
      test(`${alg}: a new authorization server publishes ${alg} keys with certificates and its tokens verify with jose`, async () => {
        const id = alg.toLowerCase();
        const created = await context.app.inject({
          method: 'POST',
          url: '/signet/v1/authorization-servers',
          headers: context.admin,
          payload: { id, audiences: [`api://${id}`], alg },
        });
        assert.equal(created.statusCode, 201, created.body);
        const set = await jwks(id);
        assert.equal(set.keys.length, 2);
        assert.ok(set.keys.every((key: { alg: string; x5c: string[] }) => key.alg === alg && key.x5c.length === 1));
        assert.deepEqual(findPrivateMaterial(JSON.stringify(set)), []);
        const { protectedHeader, payload } = await jwtVerify(await token(id), createLocalJWKSet(set), {
          issuer: `${BASE_URL}/oauth2/${id}`,
          audience: `api://${id}`,
          typ: 'at+jwt',
          currentDate: new Date(context.clock.now),
          algorithms: [alg],
        });
        assert.equal(protectedHeader.alg, alg);
        assert.equal(payload.client_id, ADMIN_CLIENT_ID);
      });
    }

    test('an authorization server created with an imported key keeps tokens signed elsewhere verifying, and signs with that key', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'previous-provider-kid-1' };
      // A token the previous provider signed before the move, with that provider's kid.
      const legacy = await new SignJWT({ client_id: 'legacy' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid })
        .setIssuer(`${BASE_URL}/oauth2/moved`)
        .setAudience('api://moved')
        .setIssuedAt(context.clock.now / 1000)
        .setExpirationTime(context.clock.now / 1000 + 600)
        .sign(await importJWK(jwk, 'ES256'));
      const created = await context.app.inject({
        method: 'POST',
        url: '/signet/v1/authorization-servers',
        headers: context.admin,
        payload: { id: 'moved', audiences: ['api://moved'], alg: 'ES256', privateKey: jwk },
      });
      assert.equal(created.statusCode, 201, created.body);
      const set = createLocalJWKSet(await jwks('moved'));
      await jwtVerify(legacy, set, { currentDate: new Date(context.clock.now) });
      const keySetId = created.json().signingKeySetId;
      const keys = (
        await context.app.inject({
          method: 'GET',
          url: `/signet/v1/key-sets/${keySetId}/keys?state=active`,
          headers: context.admin,
        })
      ).json().items;
      assert.equal(keys[0].origin, 'imported');
      assert.equal(keys[0].kid, 'previous-provider-kid-1');
      const events = (
        await context.app.inject({
          method: 'GET',
          url: `/signet/v1/audit-events?keySetId=${keySetId}&action=key.imported`,
          headers: context.admin,
        })
      ).json().items;
      assert.equal(events.length, 1);
      await jwtVerify(await token('moved'), set, { currentDate: new Date(context.clock.now) });
    });
  });
}

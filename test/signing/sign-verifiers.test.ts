import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import { BASE_URL, createTestContext, type TestContext } from '../helpers/create-test-context.ts';
import { verifyWithPyJwt } from '../helpers/pyjwt.ts';
import { CUSTODIES } from '../../src/custody/key-custody.ts';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
// jsonwebtoken 9 implements no EdDSA (its algorithm list is HS*, RS*, PS*, ES*), so that pair covers the rest.
const JSONWEBTOKEN_ALGORITHMS = ALGORITHMS.filter((alg) => alg !== 'EdDSA');

for (const custody of CUSTODIES) {
  describe(`tokens signed through the signing API verify with unmodified verifiers against the JWKS (${custody} custody)`, () => {
    let context: TestContext;
    let origin: string;
    before(async () => {
      // Real time: PyJWT and jsonwebtoken check exp against the machine's clock.
      context = await createTestContext({ startAt: Date.now(), custody });
      await context.app.listen({ port: 0, host: '127.0.0.1' });
      origin = `http://127.0.0.1:${(context.app.server.address() as AddressInfo).port}`;
      for (const alg of ALGORITHMS) {
        const id = alg.toLowerCase();
        const created = await context.app.inject({
          method: 'POST',
          url: '/signet/v1/authorization-servers',
          headers: context.admin,
          payload: { id, audiences: [`api://${id}`], alg },
        });
        assert.equal(created.statusCode, 201, created.body);
      }
    });
    after(() => context.close());

    const sign = async (serverId: string, body: Record<string, unknown>) => {
      const response = await fetch(`${origin}/signet/v1/authorization-servers/${serverId}/sign`, {
        method: 'POST',
        headers: { ...context.admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as Record<string, string>;
      assert.equal(response.status, 200, JSON.stringify(answer));
      return answer;
    };
    const idToken = (alg: string) => ({
      sub: 'user-1',
      aud: 'my-client',
      nonce: 'n-0S6_WzA2Mj',
      auth_time: Math.floor(Date.now() / 1000) - 10,
      acr: 'urn:mace:incommon:iap:silver',
      custom: { nested: [1, 'two'] },
      alg_label: alg,
    });

    for (const alg of ALGORITHMS) {
      const id = alg.toLowerCase();
      test(`${alg}: jose createRemoteJWKSet verifies the token; the header is alg, kid and typ only`, async () => {
        const claims = idToken(alg);
        const answer = await sign(id, { claims, typ: 'JWT' });
        assert.deepEqual(Object.keys(decodeProtectedHeader(answer.jwt!)).sort(), ['alg', 'kid', 'typ']);
        const jwks = createRemoteJWKSet(new URL(`${origin}/oauth2/${id}/v1/keys`));
        const { payload, protectedHeader } = await jwtVerify(answer.jwt!, jwks, {
          issuer: `${BASE_URL}/oauth2/${id}`,
          audience: 'my-client',
          typ: 'JWT',
          algorithms: [alg],
        });
        assert.equal(protectedHeader.kid, answer.kid);
        assert.equal(answer.alg, alg);
        assert.deepEqual(payload.custom, claims.custom);
        assert.equal(payload.nonce, claims.nonce);
        assert.equal(payload.sub, 'user-1');
        assert.equal(payload.exp! * 1000, Date.parse(answer.expiresAt!));
        assert.equal(payload.iat! * 1000, Date.parse(answer.issuedAt!));
      });

      test(`${alg}: PyJWT PyJWKClient verifies the token`, async () => {
        const answer = await sign(id, { claims: idToken(alg), typ: 'logout+jwt' });
        const claims = await verifyWithPyJwt(answer.jwt!, {
          jwksUrl: `${origin}/oauth2/${id}/v1/keys`,
          alg,
          issuer: `${BASE_URL}/oauth2/${id}`,
          audience: 'my-client',
        });
        assert.equal(claims.sub, 'user-1');
        assert.equal(claims.alg_label, alg);
      });
    }

    for (const alg of JSONWEBTOKEN_ALGORITHMS) {
      const id = alg.toLowerCase();
      test(`${alg}: jwks-rsa + jsonwebtoken verify the token`, async () => {
        const answer = await sign(id, { claims: idToken(alg) });
        const client = jwksRsa({ jwksUri: `${origin}/oauth2/${id}/v1/keys` });
        // As express-jwt and friends do: the key is the one the token's header names.
        const key = await client.getSigningKey(decodeProtectedHeader(answer.jwt!).kid);
        const claims = jsonwebtoken.verify(answer.jwt!, key.getPublicKey(), {
          algorithms: [alg as jsonwebtoken.Algorithm],
          issuer: `${BASE_URL}/oauth2/${id}`,
          audience: 'my-client',
        }) as jsonwebtoken.JwtPayload;
        assert.equal(claims.sub, 'user-1');
        assert.equal(claims.alg_label, alg);
      });
    }
  });
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createJwtSigner } from './create-jwt-signer.ts';
import { createSealer } from './create-sealer.ts';
import { generateKeyPair } from './generate-key-pair.ts';
import { generateMasterKeyText, parseMasterKeys } from './master-key.ts';
import { mintKey } from './mint-key.ts';
import { toJwksEntry } from './to-jwks-entry.ts';
import { createAccessTokenVerifier } from './verify-access-token.ts';

const NOW = Date.UTC(2026, 0, 1);

async function fixture() {
  const sealer = createSealer(parseMasterKeys(generateMasterKeyText()));
  const keyPair = await generateKeyPair('ES256');
  const key = await mintKey({
    keySetId: 'ks',
    alg: 'ES256',
    keyPair,
    sealer,
    now: NOW,
    state: 'active',
    origin: 'generated',
    certificateValiditySeconds: 86_400 * 30,
    tokenLifetimeCeilingSeconds: 3600,
  });
  const sign = createJwtSigner({ alg: 'ES256', kid: key.kid, privateKey: keyPair.privateKey });
  const jwks = { body: Buffer.from(JSON.stringify({ keys: [toJwksEntry(key)] })), etag: '"e1"' };
  return { sign, jwks, keyPair, kid: key.kid };
}

describe('createAccessTokenVerifier', () => {
  const expected = {
    issuers: ['https://issuer.test'],
    audience: 'urn:signet:management',
    clockToleranceSeconds: 0,
    now: NOW,
  };
  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: 'https://issuer.test',
    aud: 'urn:signet:management',
    iat: NOW / 1000,
    exp: NOW / 1000 + 60,
    client_id: 'c',
    ...overrides,
  });

  test('accepts a valid token and returns its claims', async () => {
    const { sign, jwks } = await fixture();
    const payload = await createAccessTokenVerifier().verify(await sign(claims()), jwks, expected);
    assert.equal(payload?.client_id, 'c');
  });

  test('refuses a wrong issuer, a wrong audience, an expired token and a token of another key', async () => {
    const { sign, jwks } = await fixture();
    const other = await fixture();
    const verifier = createAccessTokenVerifier();
    assert.equal(await verifier.verify(await sign(claims({ iss: 'https://evil.test' })), jwks, expected), undefined);
    assert.equal(await verifier.verify(await sign(claims({ aud: 'api://default' })), jwks, expected), undefined);
    assert.equal(await verifier.verify(await sign(claims({ exp: NOW / 1000 - 1 })), jwks, expected), undefined);
    assert.equal(await verifier.verify(await other.sign(claims()), jwks, expected), undefined);
    assert.equal(await verifier.verify('not.a.jwt', jwks, expected), undefined);
  });

  test('refuses a token whose typ is not at+jwt (RFC 9068 §4)', async () => {
    const { jwks, keyPair, kid } = await fixture();
    const plain = createJwtSigner({ alg: 'ES256', kid, privateKey: keyPair.privateKey, typ: 'JWT' });
    assert.equal(await createAccessTokenVerifier().verify(await plain(claims()), jwks, expected), undefined);
  });

  test('a token presented again is checked against the clock and the JWKS of that moment, not only remembered', async () => {
    const { sign, jwks } = await fixture();
    const verifier = createAccessTokenVerifier();
    const token = await sign(claims({ nbf: NOW / 1000 + 10 }));
    assert.equal(await verifier.verify(token, jwks, expected), undefined, 'not yet valid');
    const later = { ...expected, now: NOW + 10_000 };
    assert.equal((await verifier.verify(token, jwks, later))?.client_id, 'c');
    assert.equal((await verifier.verify(token, jwks, later))?.client_id, 'c', 'again, remembered');
    assert.equal(await verifier.verify(token, jwks, { ...expected, now: NOW + 60_000 }), undefined, 'expired since');
    assert.equal(
      (await verifier.verify(token, jwks, { ...expected, now: NOW + 59_999 }))?.client_id,
      'c',
      'valid until exp',
    );
    // The signing key left the JWKS (a new document, a new ETag): the token no longer verifies.
    const other = await fixture();
    assert.equal(await verifier.verify(token, { ...other.jwks, etag: '"e2"' }, later), undefined);
    // Other expectations (another tenant's issuers or audience) verify afresh and refuse.
    assert.equal(await verifier.verify(token, jwks, { ...later, issuers: ['https://other.test'] }), undefined);
    assert.equal(await verifier.verify(token, jwks, { ...later, audience: 'api://default' }), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Algorithm, PublicJwk } from '../domain/types.ts';
import { certificateThumbprints } from './certificate-thumbprints.ts';
import { createCertificate } from './create-certificate.ts';
import { generateKeyPair } from './generate-key-pair.ts';
import { toJwksEntry } from './to-jwks-entry.ts';
import { toPublicJwk } from './to-public-jwk.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

async function fixture(alg: Algorithm) {
  const keyPair = await generateKeyPair(alg);
  const { der } = await createCertificate({
    keyPair,
    alg,
    commonName: 'test',
    notBefore: Date.UTC(2025, 0, 1),
    notAfter: Date.UTC(2026, 0, 1),
  });
  return { keyPair, der, publicJwk: toPublicJwk(keyPair.publicKey) };
}

describe('toJwksEntry', () => {
  const expected: [Algorithm, string[]][] = [
    ['RS256', ['kty', 'use', 'alg', 'kid', 'n', 'e', 'x5c', 'x5t', 'x5t#S256']],
    ['ES384', ['kty', 'use', 'alg', 'kid', 'crv', 'x', 'y', 'x5c', 'x5t', 'x5t#S256']],
    ['EdDSA', ['kty', 'use', 'alg', 'kid', 'crv', 'x', 'x5c', 'x5t', 'x5t#S256']],
  ];
  for (const [alg, members] of expected) {
    it(`publishes exactly the public members of a ${alg} key`, async () => {
      const { der, publicJwk } = await fixture(alg);
      const entry = toJwksEntry({ kid: 'kid-1', alg, publicJwk, certificateDer: der });
      assert.deepEqual(Object.keys(entry).sort(), [...members].sort());
      assert.equal(entry.use, 'sig');
      assert.equal(entry.alg, alg);
      assert.equal(entry.kid, 'kid-1');
      assert.deepEqual(entry.x5c, [der]);
      const { x5t, x5tS256 } = certificateThumbprints(der);
      assert.equal(entry.x5t, x5t);
      assert.equal(entry['x5t#S256'], x5tS256);
      for (const [name, value] of Object.entries(publicJwk))
        assert.equal(entry[name as keyof typeof entry], value, name);
    });
  }

  it('drops private members even when the stored JWK carries them', async () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const { keyPair, der } = await fixture(alg);
      // A record that (wrongly) holds the full private JWK must still publish only public members.
      const privateJwk = { ...keyPair.privateKey.export({ format: 'jwk' }), k: 'secret' } as unknown as PublicJwk;
      const entry = toJwksEntry({ kid: 'kid-1', alg, publicJwk: privateJwk, certificateDer: der });
      const json = JSON.stringify(entry);
      for (const member of PRIVATE_MEMBERS) {
        assert.equal(member in entry, false, member);
        assert.equal(json.includes(`"${member}":`), false, member);
      }
      const d = (privateJwk as unknown as { d: string }).d;
      assert.equal(json.includes(d), false);
    }
  });
});

import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Algorithm } from '../domain/types.ts';
import { isSignetError } from '../errors.ts';
import { importPrivateKey } from './import-private-key.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ed = generateKeyPairSync('ed25519');

const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1'): string => key.export({ format: 'pem', type }) as string;
const jwkOf = (key: KeyObject): Record<string, unknown> => ({ ...key.export({ format: 'jwk' }) });
const spki = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'spki' });

/** Asserts ERR_INVALID_KEY, and that no line of the input (or the JWK `d`) leaks into the message. */
function refused(input: string | Record<string, unknown>, alg: Algorithm, expected?: RegExp): void {
  assert.throws(
    () => importPrivateKey(input, alg),
    (error) => {
      assert.ok(isSignetError(error, 'ERR_INVALID_KEY'), String(error));
      const text = typeof input === 'string' ? input : JSON.stringify(input);
      for (const line of text.split(/[\n"]/)) {
        if (line.length >= 12 && !line.startsWith('-----'))
          assert.equal(error.message.includes(line), false, `message leaks "${line}"`);
      }
      if (typeof input === 'object' && typeof input.d === 'string')
        assert.equal(error.message.includes(input.d), false);
      if (expected) assert.match(error.message, expected);
      return true;
    },
  );
}

describe('importPrivateKey accepts', () => {
  const cases: [string, string | Record<string, unknown>, Algorithm, KeyObject][] = [
    ['PKCS#8 RSA PEM', pem(rsa.privateKey, 'pkcs8'), 'RS256', rsa.publicKey],
    ['PKCS#1 RSA PEM', pem(rsa.privateKey, 'pkcs1'), 'PS384', rsa.publicKey],
    ['PKCS#8 EC PEM', pem(p384.privateKey, 'pkcs8'), 'ES384', p384.publicKey],
    ['SEC1 EC PEM', pem(p256.privateKey, 'sec1'), 'ES256', p256.publicKey],
    ['PKCS#8 Ed25519 PEM', pem(ed.privateKey, 'pkcs8'), 'EdDSA', ed.publicKey],
    ['an RSA JWK object', jwkOf(rsa.privateKey), 'RS512', rsa.publicKey],
    [
      'an EC JWK object with alg and use',
      { ...jwkOf(p256.privateKey), alg: 'ES256', use: 'sig', kid: 'old-kid' },
      'ES256',
      p256.publicKey,
    ],
    ['an OKP JWK as JSON text', JSON.stringify(jwkOf(ed.privateKey), null, 2), 'EdDSA', ed.publicKey],
    ['a PEM with surrounding whitespace', `\n\n  ${pem(p256.privateKey, 'pkcs8')}\n`, 'ES256', p256.publicKey],
    [
      'a PEM bundle with the public key first',
      `${p256.publicKey.export({ format: 'pem', type: 'spki' }) as string}${pem(p256.privateKey, 'sec1')}`,
      'ES256',
      p256.publicKey,
    ],
  ];
  for (const [name, input, alg, publicKey] of cases) {
    it(`${name} for ${alg}`, () => {
      const pair = importPrivateKey(input, alg);
      assert.equal(pair.privateKey.type, 'private');
      assert.equal(pair.publicKey.type, 'public');
      assert.deepEqual(spki(pair.publicKey), spki(publicKey));
    });
  }
});

describe('importPrivateKey refuses with ERR_INVALID_KEY', () => {
  it('public keys and certificates: a private key is required', () => {
    refused(pem(rsa.publicKey, 'pkcs1' as 'pkcs8'), 'RS256', /a private key is required/);
    refused(rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string, 'RS256', /a private key is required/);
    refused(jwkOf(p256.publicKey), 'ES256', /a private key is required/);
    refused(JSON.stringify(jwkOf(ed.publicKey)), 'EdDSA', /a private key is required/);
  });

  it('encrypted PEM, PKCS#8 and legacy PKCS#1', () => {
    const pkcs8 = rsa.privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }) as string;
    const pkcs1 = rsa.privateKey.export({
      format: 'pem',
      type: 'pkcs1',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }) as string;
    assert.match(pkcs1, /Proc-Type: 4,ENCRYPTED/);
    refused(pkcs8, 'RS256', /encrypted/);
    refused(pkcs1, 'RS256', /encrypted/);
  });

  it('a key of the wrong type or curve, naming expected and actual', () => {
    refused(pem(p384.privateKey, 'pkcs8'), 'ES256', /ES256 requires an EC P-256 key, got EC P-384/);
    refused(pem(p256.privateKey, 'sec1'), 'RS256', /got EC P-256/);
    refused(pem(rsa.privateKey, 'pkcs8'), 'EdDSA', /requires an Ed25519 key, got RSA 2048-bit/);
    refused(jwkOf(ed.privateKey), 'ES512', /got Ed25519/);
    refused(pem(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, 'pkcs8'), 'ES256');
    refused(pem(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey, 'pkcs8'), 'PS256', /RSA-PSS/);
  });

  it('RSA keys shorter than 2048 bits (RFC 7518 §3.3)', () => {
    refused(pem(rsa1024.privateKey, 'pkcs1'), 'RS256', /2048/);
    refused(jwkOf(rsa1024.privateKey), 'PS256', /1024 bits/);
  });

  it('a JWK declared for another algorithm or for encryption', () => {
    refused({ ...jwkOf(p256.privateKey), alg: 'ES384' }, 'ES256', /"alg" is ES384, not ES256/);
    refused({ ...jwkOf(rsa.privateKey), alg: 'RSA-OAEP' }, 'RS256', /not RS256/);
    refused({ ...jwkOf(rsa.privateKey), use: 'enc' }, 'RS256', /"use" must be "sig"/);
  });

  it('a JWK whose public part does not belong to its private part', () => {
    refused(
      {
        ...jwkOf(p256.privateKey),
        x: jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).x,
        y: jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).y,
      },
      'ES256',
    );
    refused({ ...jwkOf(ed.privateKey), x: jwkOf(generateKeyPairSync('ed25519').privateKey).x }, 'EdDSA');
    refused(
      { ...jwkOf(rsa.privateKey), n: jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey).n },
      'RS256',
    );
  });

  it('garbage: neither a PEM private key nor a private JWK', () => {
    const pkcs8 = pem(p256.privateKey, 'pkcs8');
    const body = pkcs8.split('\n').slice(1, -2).join('\n');
    const unparseable = /neither a PEM private key nor a private JWK/;
    for (const input of [
      '',
      'hello',
      '{',
      '[1,2]',
      'null',
      '{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0"}',
      body,
      pkcs8.replace(body, body.replace(/[A-Za-z]/g, 'A')),
      `-----BEGIN SOMETHING-----\n${body}\n-----END SOMETHING-----`,
    ]) {
      refused(
        input,
        'ES256',
        input === '{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0"}' ? /a private key is required/ : unparseable,
      );
    }
    refused({ kty: 'EC', crv: 'P-256', d: 'not-a-scalar', x: 'x', y: 'y' }, 'ES256', unparseable);
    refused({ d: jwkOf(p256.privateKey).d }, 'ES256', unparseable);
    refused(42 as unknown as string, 'ES256', unparseable);
  });
});

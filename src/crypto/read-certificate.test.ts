import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { createCertificate } from './create-certificate.ts';
import { generateKeyPair } from './generate-key-pair.ts';
import { isKeyOf, readCertificate } from './read-certificate.ts';

const NOT_BEFORE = Date.UTC(2026, 0, 1);
const NOT_AFTER = Date.UTC(2027, 0, 1);

async function certificateFor(alg: 'RS256' | 'ES256' | 'ES512' | 'EdDSA') {
  const keyPair = await generateKeyPair(alg);
  const certificate = await createCertificate({
    keyPair,
    alg,
    commonName: 'test',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
  });
  return { keyPair, der: Buffer.from(certificate.der, 'base64') };
}

describe('readCertificate', () => {
  it('reads DER bytes, base64 DER and PEM alike, with validity and public JWK', async () => {
    const { keyPair, der } = await certificateFor('RS256');
    const pem = `-----BEGIN CERTIFICATE-----\n${der
      .toString('base64')
      .match(/.{1,64}/g)!
      .join('\n')}\n-----END CERTIFICATE-----\n`;
    for (const input of [der, der.toString('base64'), pem, Buffer.from(pem), Buffer.from(der.toString('base64'))]) {
      const read = readCertificate(input);
      assert.equal(read.der, der.toString('base64'));
      assert.equal(read.notBefore, NOT_BEFORE);
      assert.equal(read.notAfter, NOT_AFTER);
      assert.equal(read.publicJwk.kty, 'RSA');
      assert.ok(isKeyOf(read.publicKey, keyPair.privateKey));
    }
    const other = await generateKeyPair('RS256');
    assert.equal(isKeyOf(readCertificate(der).publicKey, other.privateKey), false);
  });

  it('accepts EC on the NIST curves and refuses Ed25519 keys and anything that is not a certificate', async () => {
    assert.equal(readCertificate((await certificateFor('ES256')).der).publicJwk.crv, 'P-256');
    assert.equal(readCertificate((await certificateFor('ES512')).der).publicJwk.crv, 'P-521');
    for (const input of [
      (await certificateFor('EdDSA')).der,
      Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]),
      'not a certificate!',
      '',
    ]) {
      assert.throws(
        () => readCertificate(input),
        (error) => isSignetError(error, 'ERR_INVALID_KEY'),
      );
    }
  });
});

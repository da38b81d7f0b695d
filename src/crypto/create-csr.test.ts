import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSignetError } from '../errors.ts';
import { createCsr } from './create-csr.ts';
import { generateKeyPair } from './generate-key-pair.ts';
import { x509 } from './x509.ts';

describe('createCsr', () => {
  it('is a PKCS#10 request signed by the key pair, carrying its subject, SANs and public key', async () => {
    for (const alg of ['RS256', 'ES384'] as const) {
      const keyPair = await generateKeyPair(alg);
      const der = await createCsr({
        keyPair,
        alg,
        subject: { commonName: 'sp.example.com', organizationName: 'Example, Inc.', countryName: 'US' },
        dnsNames: ['sp.example.com', '*.sp.example.com'],
      });
      const csr = new x509.Pkcs10CertificateRequest(Buffer.from(der, 'base64'));
      assert.ok(await csr.verify(), `${alg}: the signature verifies`);
      // The comma stays inside the organization name: a structured name cannot inject an RDN.
      assert.equal(csr.subjectName.getField('O')[0], 'Example, Inc.');
      assert.equal(csr.subjectName.getField('CN')[0], 'sp.example.com');
      const san = new x509.SubjectAlternativeNameExtension(csr.getExtension('2.5.29.17')!.rawData);
      assert.deepEqual(
        san.names.items.map((name) => name.value),
        ['sp.example.com', '*.sp.example.com'],
      );
      const spki = createPublicKey(keyPair.privateKey).export({ format: 'der', type: 'spki' });
      assert.ok(Buffer.from(csr.publicKey.rawData).equals(spki), `${alg}: the request certifies the pair's public key`);
    }
  });

  it('refuses an empty subject, an over-long attribute, a bad country code and a bad DNS name', async () => {
    const keyPair = await generateKeyPair('RS256');
    const cases = [
      { subject: {}, dnsNames: [] },
      { subject: { commonName: 'x'.repeat(65) }, dnsNames: [] },
      { subject: { countryName: 'USA' }, dnsNames: [] },
      { subject: { commonName: 'ok' }, dnsNames: ['not a name'] },
    ];
    for (const input of cases) {
      await assert.rejects(createCsr({ keyPair, alg: 'RS256', ...input }), (error) =>
        isSignetError(error, 'ERR_VALIDATION'),
      );
    }
  });
});

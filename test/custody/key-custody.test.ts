import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { compactVerify, exportJWK, jwtVerify } from 'jose';
import pkcs11js from 'pkcs11js';
import { createCertificate } from '../../src/crypto/create-certificate.ts';
import { createCustodyJwtSigner } from '../../src/crypto/create-custody-jwt-signer.ts';
import { createSealer } from '../../src/crypto/create-sealer.ts';
import { generateKeyPair } from '../../src/crypto/generate-key-pair.ts';
import { parseMasterKeys, generateMasterKeyText } from '../../src/crypto/master-key.ts';
import { createPkcs11Custody } from '../../src/custody/create-pkcs11-custody.ts';
import { createSealedCustody } from '../../src/custody/create-sealed-custody.ts';
import type { KeyCustody } from '../../src/custody/key-custody.ts';
import { openPkcs11Token } from '../../src/custody/open-pkcs11-token.ts';
import type { Algorithm } from '../../src/domain/types.ts';
import { isSignetError, SignetError } from '../../src/errors.ts';
import { createSoftHsmToken } from '../helpers/softhsm-token.ts';

const ALGORITHMS: Algorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

const token = createSoftHsmToken();
const tokenOptions = { modulePath: token.modulePath, tokenLabel: token.tokenLabel, slot: null, pin: token.pin };
const custodies: KeyCustody[] = [
  createSealedCustody({ sealer: createSealer(parseMasterKeys(generateMasterKeyText())) }),
  createPkcs11Custody(tokenOptions),
];
after(async () => {
  for (const custody of custodies) await custody.close();
  token.remove();
});

/** A compact JWS over a fixed payload, signed through the custody. */
async function signJws(sign: (alg: Algorithm, data: Buffer) => Promise<Buffer>, alg: Algorithm): Promise<string> {
  const input = `${Buffer.from(JSON.stringify({ alg, kid: 'k' })).toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}`;
  return `${input}.${(await sign(alg, Buffer.from(input))).toString('base64url')}`;
}

for (const custody of custodies) {
  describe(`${custody.custody} custody`, () => {
    for (const alg of ALGORITHMS) {
      it(`generates an ${alg} key whose JWS and certificate verify with unmodified verifiers`, async () => {
        const pair = await custody.generate(alg);
        const jws = await signJws(pair.sign, alg);
        const { payload } = await compactVerify(jws, pair.publicKey);
        assert.equal(Buffer.from(payload).toString(), '{"sub":"x"}');
        const jwt = await createCustodyJwtSigner({ alg, kid: 'k1', sign: pair.sign })({ sub: 'client', iat: 1 });
        const verified = await jwtVerify(jwt, pair.publicKey, { typ: 'at+jwt' });
        assert.equal(verified.payload.sub, 'client');
        assert.equal(verified.protectedHeader.kid, 'k1');
        const now = Date.now();
        const certificate = await createCertificate({
          keyPair: pair,
          alg,
          commonName: 'test',
          notBefore: now,
          notAfter: now + 3_600_000,
        });
        const x509 = new X509Certificate(Buffer.from(certificate.der, 'base64'));
        assert.ok(x509.verify(pair.publicKey), 'the certificate is signed by its own key');
        assert.ok(x509.publicKey.equals(pair.publicKey));
        const held = await pair.bind('ks1', `kid-${alg}`);
        const ref = { keySetId: 'ks1', kid: `kid-${alg}`, held };
        assert.ok((await custody.readPublicKey(ref)).equals(pair.publicKey));
        const reopened = custody.open(ref);
        await compactVerify(await signJws(reopened, alg), pair.publicKey);
      });
    }

    for (const alg of ['RS256', 'ES256', 'ES512', 'EdDSA'] as const) {
      it(`imports an existing ${alg} key and signs with it`, async () => {
        const existing = await generateKeyPair(alg);
        const pair = await custody.importPrivateKey(existing.privateKey);
        assert.ok(pair.publicKey.equals(existing.publicKey));
        await compactVerify(await signJws(pair.sign, alg), existing.publicKey);
      });
    }
  });
}

describe('pkcs11 custody on the token', () => {
  const custody = custodies[1] as KeyCustody;
  const inspector = openPkcs11Token(tokenOptions);
  after(() => inspector.close());

  async function privateObjects(objectId: string): Promise<Buffer[]> {
    const session = await inspector.acquire();
    try {
      inspector.module.C_FindObjectsInit(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: Buffer.from(objectId, 'hex') },
      ]);
      const found = inspector.module.C_FindObjects(session, 10);
      inspector.module.C_FindObjectsFinal(session);
      return found;
    } finally {
      inspector.release(session);
    }
  }

  async function readAttribute(objectId: string, type: number): Promise<unknown> {
    const [handle] = await privateObjects(objectId);
    const session = await inspector.acquire();
    try {
      return inspector.module.C_GetAttributeValue(session, handle as Buffer, [{ type }]);
    } finally {
      inspector.release(session);
    }
  }

  for (const [alg, secret] of [
    ['RS256', pkcs11js.CKA_PRIVATE_EXPONENT],
    ['ES256', pkcs11js.CKA_VALUE],
  ] as const) {
    for (const how of ['generated', 'imported'] as const) {
      it(`a ${how} ${alg} key is sensitive and non-extractable: another session cannot read its private value`, async () => {
        const pair =
          how === 'generated'
            ? await custody.generate(alg)
            : await custody.importPrivateKey((await generateKeyPair(alg)).privateKey);
        const { tokenObjectId, sealedPrivateKey } = await pair.bind('ks2', `${how}-${alg}`);
        assert.equal(sealedPrivateKey, null, 'nothing of the private key is kept outside the token');
        assert.match(tokenObjectId ?? '', /^[0-9a-f]{32}$/);
        await assert.rejects(
          () => readAttribute(tokenObjectId as string, secret),
          (error: { code?: number }) => error.code === pkcs11js.CKR_ATTRIBUTE_SENSITIVE,
        );
        const [flags] = (await readAttribute(tokenObjectId as string, pkcs11js.CKA_EXTRACTABLE)) as Array<{
          value: Buffer;
        }>;
        assert.equal(flags?.value[0], 0, 'CKA_EXTRACTABLE is false');
      });
    }
  }

  it('a second instance sharing the token finds a key by its object id and signs with it', async () => {
    const pair = await custody.generate('ES384');
    const held = await pair.bind('ks3', 'shared');
    const other = createPkcs11Custody(tokenOptions);
    try {
      const sign = other.open({ keySetId: 'ks3', kid: 'shared', held });
      await compactVerify(await signJws(sign, 'ES384'), pair.publicKey);
    } finally {
      await other.close();
    }
  });

  it('destroy removes both halves from the token, and a second destroy changes nothing', async () => {
    const pair = await custody.generate('ES256');
    const held = await pair.bind('ks4', 'gone');
    const ref = { keySetId: 'ks4', kid: 'gone', held };
    await custody.destroy(ref);
    assert.deepEqual(await privateObjects(held.tokenObjectId as string), []);
    await custody.destroy(ref);
    await assert.rejects(
      () => custody.open(ref)('ES256', Buffer.from('x')),
      (error) => isSignetError(error, 'ERR_INTERNAL'),
    );
  });

  it('discarding an unbound pair destroys it on the token', async () => {
    const pair = await custody.generate('EdDSA');
    const held = await pair.bind('ks5', 'lost');
    await pair.discard();
    assert.deepEqual(await privateObjects(held.tokenObjectId as string), []);
  });

  it('the JWKS-ready public key has no private members', async () => {
    const pair = await custody.generate('RS256');
    const jwk = await exportJWK(pair.publicKey);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(member in jwk, false);
  });
});

describe('opening a PKCS#11 token', () => {
  const refusal = (variable: string) => (error: unknown) => {
    assert.ok(isSignetError(error, 'ERR_VALIDATION'));
    assert.equal(error.details?.variable, variable);
    assert.ok(!error.message.includes('wrong-pin-4321'), 'the PIN is never echoed');
    return true;
  };

  it('a module that does not load names SIGNET_PKCS11_MODULE', () => {
    assert.throws(
      () => openPkcs11Token({ ...tokenOptions, modulePath: '/nonexistent/libpkcs11.so' }),
      refusal('SIGNET_PKCS11_MODULE'),
    );
  });

  it('an absent token names SIGNET_PKCS11_TOKEN_LABEL, or SIGNET_PKCS11_SLOT', () => {
    assert.throws(
      () => openPkcs11Token({ ...tokenOptions, tokenLabel: 'no-such-token' }),
      refusal('SIGNET_PKCS11_TOKEN_LABEL'),
    );
    assert.throws(
      () => openPkcs11Token({ ...tokenOptions, tokenLabel: null, slot: 987654 }),
      refusal('SIGNET_PKCS11_SLOT'),
    );
  });

  it('a wrong PIN names SIGNET_PKCS11_PIN without echoing it', () => {
    // In a process of its own: this one is logged in to the token already, and PKCS#11 login is per
    // application, so a second login here would answer CKR_USER_ALREADY_LOGGED_IN whatever the PIN.
    const script = `
      import { openPkcs11Token } from ${JSON.stringify(new URL('../../src/custody/open-pkcs11-token.ts', import.meta.url).href)};
      try { openPkcs11Token(${JSON.stringify({ ...tokenOptions, pin: 'wrong-pin-4321' })}); console.log('opened'); }
      catch (error) { console.log(JSON.stringify({ code: error.code, details: error.details, message: error.message })); }`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    refusal('SIGNET_PKCS11_PIN')(Object.assign(new SignetError('ERR_VALIDATION', ''), JSON.parse(out)));
  });
});

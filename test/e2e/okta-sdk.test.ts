import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import okta from '@okta/okta-sdk-nodejs';
import { findPrivateMaterial } from '../helpers/create-test-context.ts';
import { freePort, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';
import { createCa, issueCertificate, selfSignedCertificate, toPem } from '../helpers/test-certificates.ts';

const TOKEN = 'sgt_okta-sdk-token-0123456789';

/** Every item of an SDK collection (the SDK pages through `Link: rel="next"` itself). */
async function all<T>(collection: AsyncIterable<T | null> | Promise<AsyncIterable<T | null>>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of await collection) if (item !== null) items.push(item);
  return items;
}

/** The key references of an IdP's protocol (the SDK types them per protocol). */
function credentialsOf(idp: { protocol?: { credentials?: unknown } }): {
  signing?: { kid?: string };
  trust?: { kid?: string };
} {
  return (idp.protocol?.credentials ?? {}) as { signing?: { kid?: string }; trust?: { kid?: string } };
}

/** The Okta API error an SDK call rejected with. */
async function oktaError(
  promise: Promise<unknown>,
): Promise<{ status: number; errorCode: string; errorSummary: string; errorCauses: { errorSummary: string }[] }> {
  try {
    const result = await promise;
    // Calls returning a list are lazy collections: the request is sent when they are read.
    if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
      await all(result as AsyncIterable<unknown>);
  } catch (error) {
    return error as never;
  }
  assert.fail('the call succeeded');
}

// The official Okta SDK, configured with nothing but the org URL and an SSWS API token, drives a
// real `signet serve` over loopback through both Okta surfaces.
describe('@okta/okta-sdk-nodejs against signet serve', { timeout: 120_000 }, () => {
  let signet: SpawnedSignet;
  let dataDir: string;
  let client: InstanceType<typeof okta.Client>;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'signet-okta-sdk-'));
    signet = await spawnSignet({ dataDir, port: await freePort(), env: { SIGNET_BOOTSTRAP_API_TOKEN: TOKEN } });
    client = new okta.Client({ orgUrl: signet.url, token: TOKEN });
  });
  after(async () => {
    // Nothing the Okta calls handled (private keys of generated, cloned or CSR keys) reached a log line.
    assert.deepEqual(findPrivateMaterial(signet.stdout() + signet.stderr()), []);
    assert.ok(!signet.stdout().includes(TOKEN), 'the API token is not logged');
    await signet?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('authorization server: list, get, switch rotationMode, list and get keys, rotate', async () => {
    const api = client.authorizationServerApi;
    assert.deepEqual(
      (await all(await api.listAuthorizationServers({}))).map((item) => item.id),
      ['default'],
    );
    const server = await api.getAuthorizationServer({ authServerId: 'default' });
    const signing = server.credentials!.signing!;
    assert.equal(signing.rotationMode, 'AUTO');
    assert.ok(signing.kid);
    assert.ok(signing.nextRotation && signing.lastRotated);
    // The AUTO schedule of the default policy: 90 days after the key became active.
    assert.equal(new Date(signing.nextRotation).getTime() - new Date(signing.lastRotated).getTime(), 90 * 86_400_000);

    signing.rotationMode = 'MANUAL';
    const manual = await api.replaceAuthorizationServer({ authServerId: 'default', authorizationServer: server });
    assert.equal(manual.credentials!.signing!.rotationMode, 'MANUAL');
    assert.equal(manual.credentials!.signing!.nextRotation, undefined, 'nextRotation is only returned in AUTO mode');
    assert.equal(manual.credentials!.signing!.kid, signing.kid, 'switching modes does not change the active key');

    const keys = await all(await api.listAuthorizationServerKeys({ authServerId: 'default' }));
    assert.deepEqual(
      keys.map((key) => key.status),
      ['ACTIVE', 'NEXT'],
    );
    const [active, next] = keys;
    assert.equal(active!.kid, signing.kid);
    const fetched = await api.getAuthorizationServerKey({ authServerId: 'default', keyId: next!.kid! });
    assert.equal(fetched.status, 'NEXT');
    assert.equal(fetched.kty, 'RSA');

    const rotated = await all(
      (await api.rotateAuthorizationServerKeys({
        authServerId: 'default',
        use: { use: 'sig' },
      })) as unknown as AsyncIterable<{ kid: string; status: string }>,
    );
    const byStatus = Object.fromEntries(rotated.map((key) => [key.status, key.kid]));
    assert.equal(byStatus.ACTIVE, next!.kid, 'the NEXT key became ACTIVE');
    assert.equal(byStatus.EXPIRED, active!.kid, 'the ACTIVE key became EXPIRED');
    assert.ok(byStatus.NEXT && byStatus.NEXT !== next!.kid, 'a fresh NEXT key was minted');

    const afterRotation = await api.getAuthorizationServer({ authServerId: 'default' });
    assert.equal(afterRotation.credentials!.signing!.kid, next!.kid);
    afterRotation.credentials!.signing!.rotationMode = 'AUTO';
    const auto = await api.replaceAuthorizationServer({ authServerId: 'default', authorizationServer: afterRotation });
    assert.equal(auto.credentials!.signing!.rotationMode, 'AUTO');
    assert.ok(auto.credentials!.signing!.nextRotation);

    const invalid = await oktaError(
      api.rotateAuthorizationServerKeys({ authServerId: 'default', use: { use: 'enc' as 'sig' } }),
    );
    assert.equal(invalid.status, 400);
    assert.equal(invalid.errorCode, 'E0000001');
    assert.equal(invalid.errorSummary, 'Api validation failed: rotateKeys');
    assert.deepEqual(invalid.errorCauses, [{ errorSummary: "Invalid value specified for key 'use' parameter" }]);
    const missing = await oktaError(api.getAuthorizationServer({ authServerId: 'ausMissing' }));
    assert.equal(missing.status, 404);
    assert.equal(missing.errorCode, 'E0000007');
  });

  test('identity providers: create, list, get; signing keys generate, list, get, active, switch by PUT, clone', async () => {
    const api = client.identityProviderApi;
    const protocol = { type: 'SAML2', endpoints: { sso: { url: 'https://idp.example/sso', binding: 'HTTP-POST' } } };
    const first = await api.createIdentityProvider({
      identityProvider: { type: 'SAML2', name: 'Corp SAML', protocol: protocol as never },
    });
    const second = await api.createIdentityProvider({
      identityProvider: { type: 'SAML2', name: 'Partner SAML', protocol: protocol as never },
    });
    assert.match(first.id!, /^0oa[A-Za-z0-9]{17}$/);
    assert.equal(first.status, 'ACTIVE');
    assert.ok(credentialsOf(first).signing?.kid);
    assert.deepEqual(
      (await all(await api.listIdentityProviders({}))).map((idp) => idp.id),
      [first.id, second.id],
    );
    assert.equal((await api.getIdentityProvider({ idpId: first.id! })).name, 'Corp SAML');

    const outOfRange = await oktaError(api.generateIdentityProviderSigningKey({ idpId: first.id!, validityYears: 11 }));
    assert.equal(outOfRange.status, 400);
    assert.equal(outOfRange.errorSummary, 'Api validation failed: generateKey');
    assert.deepEqual(outOfRange.errorCauses, [
      { errorSummary: 'Validity years out of range. It should be 2 - 10 years' },
    ]);

    const generated = await api.generateIdentityProviderSigningKey({ idpId: first.id!, validityYears: 3 });
    const years = (new Date(generated.expiresAt!).getTime() - Date.now()) / (365 * 86_400_000);
    assert.ok(years > 2.99 && years < 3.01, `the certificate is valid for 3 years, got ${years}`);
    assert.equal(generated.kty, 'RSA');
    assert.ok(new X509Certificate(Buffer.from(generated.x5c![0]!, 'base64')).publicKey);

    const listed = await all(await api.listIdentityProviderSigningKeys({ idpId: first.id! }));
    assert.ok(listed.some((key) => key.kid === generated.kid));
    assert.equal(
      (await api.getIdentityProviderSigningKey({ idpId: first.id!, keyId: generated.kid! })).kid,
      generated.kid,
    );
    const activeBefore = await all(
      (await api.listActiveIdentityProviderSigningKey({ idpId: first.id! })) as never as AsyncIterable<{ kid: string }>,
    );
    assert.equal(activeBefore.length, 1);
    assert.notEqual(
      activeBefore[0]!.kid,
      generated.kid,
      'a generated key does not sign until the IdP is switched to it',
    );

    const idp = await api.getIdentityProvider({ idpId: first.id! });
    credentialsOf(idp).signing!.kid = generated.kid!;
    const switched = await api.replaceIdentityProvider({ idpId: first.id!, identityProvider: idp });
    assert.equal(credentialsOf(switched).signing?.kid, generated.kid);
    const activeAfter = await all(
      (await api.listActiveIdentityProviderSigningKey({ idpId: first.id! })) as never as AsyncIterable<{ kid: string }>,
    );
    assert.deepEqual(
      activeAfter.map((key) => key.kid),
      [generated.kid],
    );

    const cloned = await api.cloneIdentityProviderKey({
      idpId: first.id!,
      keyId: generated.kid!,
      targetIdpId: second.id!,
    });
    assert.equal(cloned.kid, generated.kid);
    assert.deepEqual(cloned.x5c, generated.x5c);
    assert.ok(
      (await all(await api.listIdentityProviderSigningKeys({ idpId: second.id! }))).some(
        (key) => key.kid === generated.kid,
      ),
    );
    const again = await oktaError(
      api.cloneIdentityProviderKey({ idpId: first.id!, keyId: generated.kid!, targetIdpId: second.id! }),
    );
    assert.equal(again.status, 400);
    assert.equal(again.errorSummary, 'Api validation failed: cloneKey');
    assert.deepEqual(again.errorCauses, [
      { errorSummary: 'Key already exists in the list of key credentials for the target app.' },
    ]);
  });

  test('key store: add, list, get, replace, delete; a certificate an IdP trusts cannot be deleted', async () => {
    const api = client.identityProviderApi;
    const rsa = await selfSignedCertificate('RSA');
    const ec = await selfSignedCertificate('P-384');
    const added = await api.createIdentityProviderKey({ jsonWebKey: { x5c: [rsa] } });
    assert.equal(added.kty, 'RSA');
    assert.deepEqual(added.x5c, [rsa]);
    const addedEc = await api.createIdentityProviderKey({ jsonWebKey: { x5c: [ec] } });
    assert.equal(addedEc.kty, 'EC');

    // limit=1 makes the SDK follow the Link rel="next" header page by page.
    const listed = await all(await api.listIdentityProviderKeys({ limit: 1 }));
    assert.deepEqual(
      listed.map((key) => key.kid),
      [added.kid, addedEc.kid],
    );
    assert.equal((await api.getIdentityProviderKey({ keyId: added.kid! })).kid, added.kid);

    const replacement = await selfSignedCertificate('RSA', 'rotated.example');
    const replaced = await api.replaceIdentityProviderKey({
      keyId: added.kid!,
      idPKeyCredential: { x5c: [replacement] },
    });
    assert.equal(replaced.kid, added.kid);
    assert.deepEqual(replaced.x5c, [replacement]);

    const protocol = { type: 'SAML2', credentials: { trust: { kid: added.kid, issuer: 'https://idp.example' } } };
    const trusting = await api.createIdentityProvider({
      identityProvider: { type: 'SAML2', name: 'Trusting', protocol: protocol as never },
    });
    assert.equal(credentialsOf(trusting).trust?.kid, added.kid);
    const inUse = await oktaError(api.deleteIdentityProviderKey({ keyId: added.kid! }));
    assert.equal(inUse.status, 400);
    assert.equal(inUse.errorCode, 'E0000001');
    assert.equal(inUse.errorSummary, 'Api validation failed: deleteKey');

    await api.deleteIdentityProviderKey({ keyId: addedEc.kid! });
    const gone = await oktaError(api.getIdentityProviderKey({ keyId: addedEc.kid! }));
    assert.equal(gone.status, 404);
    assert.equal(gone.errorCode, 'E0000007');
  });

  test('CSRs: create, list, get, publish the CA-signed certificate (base64 DER and PEM), delete', async () => {
    const api = client.identityProviderApi;
    const idp = await api.createIdentityProvider({
      identityProvider: { type: 'SAML2', name: 'CSR SAML', protocol: { type: 'SAML2' } as never },
    });
    const metadata = {
      subject: { commonName: 'sp.example.com', countryName: 'US', organizationName: 'Example' },
      subjectAltNames: { dnsNames: ['sp.example.com'] },
    };
    const csr = await api.generateCsrForIdentityProvider({ idpId: idp.id!, metadata });
    assert.equal(csr.kty, 'RSA');
    assert.ok(csr._links!.publish!.href!.endsWith(`/credentials/csrs/${csr.id}/lifecycle/publish`));
    const second = await api.generateCsrForIdentityProvider({ idpId: idp.id!, metadata });
    assert.deepEqual(
      (await all(await api.listCsrsForIdentityProvider({ idpId: idp.id! }))).map((item) => item.id),
      [csr.id, second.id],
    );
    assert.equal((await api.getCsrForIdentityProvider({ idpId: idp.id!, csrId: csr.id! })).csr, csr.csr);

    const ca = await createCa();
    const tooShort = await oktaError(
      api.publishCsrForIdentityProvider({
        idpId: idp.id!,
        csrId: csr.id!,
        body: (await issueCertificate(ca, csr.csr!, 30)).toString('base64') as never,
      }),
    );
    assert.equal(tooShort.status, 400);
    assert.equal(tooShort.errorSummary, 'Api validation failed: publishCsr');
    const foreign = await oktaError(
      api.publishCsrForIdentityProvider({
        idpId: idp.id!,
        csrId: csr.id!,
        body: (await issueCertificate(ca, second.csr!, 365)).toString('base64') as never,
      }),
    );
    assert.equal(foreign.status, 400);
    assert.deepEqual(foreign.errorCauses, [{ errorSummary: 'The certificate does not match the CSR.' }]);

    const signed = await issueCertificate(ca, csr.csr!, 365);
    const published = await api.publishCsrForIdentityProvider({
      idpId: idp.id!,
      csrId: csr.id!,
      body: signed.toString('base64') as never,
    });
    assert.deepEqual(published.x5c, [signed.toString('base64')]);
    assert.ok(
      (await all(await api.listIdentityProviderSigningKeys({ idpId: idp.id! }))).some(
        (key) => key.kid === published.kid,
      ),
    );

    const pem = toPem(await issueCertificate(ca, second.csr!, 400));
    const fromPem = await api.publishCsrForIdentityProvider({ idpId: idp.id!, csrId: second.id!, body: pem as never });
    assert.ok(fromPem.kid);

    const third = await api.generateCsrForIdentityProvider({ idpId: idp.id!, metadata });
    await api.revokeCsrForIdentityProvider({ idpId: idp.id!, csrId: third.id! });
    assert.deepEqual(await all(await api.listCsrsForIdentityProvider({ idpId: idp.id! })), []);
    const gone = await oktaError(api.getCsrForIdentityProvider({ idpId: idp.id!, csrId: third.id! }));
    assert.equal(gone.status, 404);
  });

  test("a tenant is its own Okta org at {base}/t/{tenant}: its keys and IdPs, not the root tenant's", async () => {
    const created = await fetch(`${signet.url}/signet/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'acme', displayName: 'Acme' }),
    });
    assert.equal(created.status, 201);
    const tenantToken = ((await created.json()) as { adminToken: { token: string } }).adminToken.token;
    const tenant = new okta.Client({ orgUrl: `${signet.url}/t/acme`, token: tenantToken });
    const rootKids = (
      await all(await client.authorizationServerApi.listAuthorizationServerKeys({ authServerId: 'default' }))
    ).map((key) => key.kid);
    const tenantKeys = await all(
      await tenant.authorizationServerApi.listAuthorizationServerKeys({ authServerId: 'default' }),
    );
    assert.deepEqual(
      tenantKeys.map((key) => key.status),
      ['ACTIVE', 'NEXT'],
    );
    assert.ok(tenantKeys.every((key) => !rootKids.includes(key.kid!)));
    assert.ok(tenantKeys[0]!._links!.self!.href!.startsWith(`${signet.url}/t/acme/api/v1/`));
    assert.deepEqual(await all(await tenant.identityProviderApi.listIdentityProviders({})), []);
    // The root tenant's token is not a credential of this org.
    const foreign = new okta.Client({ orgUrl: `${signet.url}/t/acme`, token: TOKEN });
    assert.equal((await oktaError(foreign.identityProviderApi.listIdentityProviders({}))).status, 401);
  });
});

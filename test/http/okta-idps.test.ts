import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  ADMIN_TOKEN,
  createTestContext,
  findPrivateMaterial,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { clientWith } from '../helpers/dialect-credentials.ts';
import { createCa, issueCertificate, selfSignedCertificate, toPem } from '../helpers/test-certificates.ts';

const SSWS = { authorization: `SSWS ${ADMIN_TOKEN}` };
const STORE = '/api/v1/idps/credentials/keys';
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

function assertOktaError(
  response: LightMyRequestResponse,
  status: number,
  errorCode: string,
  errorSummary?: string,
  causes?: string[],
): void {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  const body = response.json();
  assert.equal(body.errorCode, errorCode);
  assert.equal(body.errorLink, errorCode);
  assert.ok(Array.isArray(body.errorCauses));
  if (errorSummary !== undefined) assert.equal(body.errorSummary, errorSummary);
  if (causes !== undefined)
    assert.deepEqual(
      body.errorCauses,
      causes.map((cause) => ({ errorSummary: cause })),
    );
}

describe('Okta identity providers, signing keys, key store and CSRs over raw HTTP', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = await createTestContext({ startAt: Date.now() });
  });
  afterEach(() => context.close());

  const call = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = SSWS) =>
    context.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  async function createIdp(name: string, trustKid?: string): Promise<string> {
    const protocol = {
      type: 'SAML2',
      endpoints: { sso: { url: 'https://idp.example/sso' } },
      ...(trustKid ? { credentials: { trust: { kid: trustKid } } } : {}),
    };
    const response = await call('POST', '/api/v1/idps', { type: 'SAML2', name, protocol });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().id;
  }

  test('IdP create answers 200 with the Okta object; list, get, and the protocol round-trip', async () => {
    const created = await call('POST', '/api/v1/idps', {
      type: 'OIDC',
      name: 'Upstream OIDC',
      issuerMode: 'ORG_URL',
      policy: { maxClockSkew: 0 },
      protocol: {
        type: 'OIDC',
        scopes: ['openid'],
        credentials: { client: { client_id: 'abc', client_secret: 'upstream-secret' } },
      },
    });
    assert.equal(created.statusCode, 200);
    const idp = created.json();
    assert.equal(idp.type, 'OIDC');
    assert.deepEqual(idp.protocol.scopes, ['openid']);
    assert.deepEqual(idp.policy, { maxClockSkew: 0 });
    assert.ok(idp.protocol.credentials.signing.kid);
    assert.ok(!created.body.includes('upstream-secret'), 'the upstream client secret is not stored or echoed');
    assert.ok(
      idp.created && idp.lastUpdated && idp._links.keys.href.endsWith(`/api/v1/idps/${idp.id}/credentials/keys`),
    );
    assert.deepEqual((await call('GET', `/api/v1/idps/${idp.id}`)).json(), idp);
    assert.deepEqual(
      (await call('GET', '/api/v1/idps')).json().map((item: { id: string }) => item.id),
      [idp.id],
    );
    assert.deepEqual((await call('GET', '/api/v1/idps?type=SAML2')).json(), []);

    assertOktaError(
      await call('POST', '/api/v1/idps', { type: 'OIDC', name: 'Upstream OIDC', protocol: { type: 'OIDC' } }),
      400,
      'E0000001',
      'Api validation failed: createIdentityProvider',
    );
    assertOktaError(
      await call('POST', '/api/v1/idps', { name: 'No type', protocol: { type: 'OIDC' } }),
      400,
      'E0000001',
    );
    assertOktaError(
      await call('POST', '/api/v1/idps', {
        type: 'SAML2',
        name: 'Bad trust',
        protocol: { type: 'SAML2', credentials: { trust: { kid: 'unknown' } } },
      }),
      400,
      'E0000001',
    );
    assertOktaError(
      await call('GET', '/api/v1/idps/0oaMissing'),
      404,
      'E0000007',
      'Not found: Resource not found: 0oaMissing (IdentityProvider)',
    );
    assertOktaError(await call('DELETE', '/api/v1/idps'), 405, 'E0000022');
  });

  test('signing keys: list, get, active, generate with its exact 400, switch by PUT, clone 201 and its exact 400', async () => {
    const first = await createIdp('First');
    const second = await createIdp('Second');
    const keys = `/api/v1/idps/${first}/credentials/keys`;
    const active = await call('GET', `${keys}/active`);
    assert.equal(active.statusCode, 200);
    assert.equal(active.json().length, 1);
    const activeKid = active.json()[0].kid;

    const cause = ['Validity years out of range. It should be 2 - 10 years'];
    for (const query of ['?validityYears=1', '?validityYears=11', '?validityYears=abc', '']) {
      assertOktaError(
        await call('POST', `${keys}/generate${query}`),
        400,
        'E0000001',
        'Api validation failed: generateKey',
        cause,
      );
    }
    const generated = await call('POST', `${keys}/generate?validityYears=10`);
    assert.equal(generated.statusCode, 200);
    const key = generated.json();
    assert.deepEqual(Object.keys(key).sort(), [
      'alg',
      'created',
      'e',
      'expiresAt',
      'kid',
      'kty',
      'lastUpdated',
      'n',
      'use',
      'x5c',
      'x5t#S256',
    ]);
    const certificate = new X509Certificate(Buffer.from(key.x5c[0], 'base64'));
    assert.equal(new Date(certificate.validTo).toISOString(), key.expiresAt);
    assert.equal((await call('GET', `${keys}/${key.kid}`)).json().kid, key.kid);
    assert.ok((await call('GET', keys)).json().some((listed: { kid: string }) => listed.kid === key.kid));
    assert.equal(
      (await call('GET', `${keys}/active`)).json()[0].kid,
      activeKid,
      'generating does not switch the signing key',
    );

    const idp = (await call('GET', `/api/v1/idps/${first}`)).json();
    assertOktaError(
      await call('PUT', `/api/v1/idps/${first}`, {
        ...idp,
        protocol: { ...idp.protocol, credentials: { signing: { kid: 'unknown' } } },
      }),
      400,
      'E0000001',
      'Api validation failed: updateIdentityProvider',
    );
    // A switch with another change that fails writes nothing: the signing key stays as it was.
    assertOktaError(
      await call('PUT', `/api/v1/idps/${first}`, {
        ...idp,
        name: 'Second',
        protocol: { ...idp.protocol, credentials: { signing: { kid: key.kid } } },
      }),
      400,
      'E0000001',
    );
    assert.equal((await call('GET', `${keys}/active`)).json()[0].kid, activeKid);
    const switched = await call('PUT', `/api/v1/idps/${first}`, {
      ...idp,
      name: 'First, renamed',
      protocol: { ...idp.protocol, credentials: { signing: { kid: key.kid } } },
    });
    assert.equal(switched.statusCode, 200);
    assert.equal(switched.json().protocol.credentials.signing.kid, key.kid);
    assert.equal(switched.json().name, 'First, renamed');
    assert.equal((await call('GET', `${keys}/active`)).json()[0].kid, key.kid);
    // The previous signing key keeps its place in the list while it drains.
    assert.ok((await call('GET', keys)).json().some((listed: { kid: string }) => listed.kid === activeKid));

    const cloned = await call('POST', `${keys}/${key.kid}/clone?targetIdpId=${second}`);
    assert.equal(cloned.statusCode, 201);
    assert.deepEqual(findPrivateMaterial(cloned.body + generated.body + (await call('GET', keys)).body), []);
    assert.equal(cloned.json().kid, key.kid);
    assert.deepEqual(cloned.json().x5c, key.x5c);
    assertOktaError(
      await call('POST', `${keys}/${key.kid}/clone?targetIdpId=${second}`),
      400,
      'E0000001',
      'Api validation failed: cloneKey',
      ['Key already exists in the list of key credentials for the target app.'],
    );
    assertOktaError(await call('POST', `${keys}/${key.kid}/clone`), 400, 'E0000001', 'Api validation failed: cloneKey');
    assertOktaError(await call('POST', `${keys}/${key.kid}/clone?targetIdpId=0oaMissing`), 404, 'E0000007');
    assertOktaError(await call('POST', `${keys}/missing-kid/clone?targetIdpId=${second}`), 404, 'E0000007');
    assertOktaError(
      await call('GET', `${keys}/missing-kid`),
      404,
      'E0000007',
      'Not found: Resource not found: missing-kid (IdPKeyCredential)',
    );
    assertOktaError(await call('GET', '/api/v1/idps/0oaMissing/credentials/keys'), 404, 'E0000007');
    assertOktaError(await call('GET', `${keys}/generate`), 405, 'E0000022');

    // One lifecycle: the IdP's keys are its key set's, with audit events, seen by the native API.
    const idpView = (
      await context.app.inject({ method: 'GET', url: `/signet/v1/identity-providers/${first}`, headers: context.admin })
    ).json();
    const keySet = (
      await context.app.inject({
        method: 'GET',
        url: `/signet/v1/key-sets/${idpView.signingKeySetId}`,
        headers: context.admin,
      })
    ).json();
    assert.equal(keySet.activeKid, key.kid);
    const audit = (
      await context.app.inject({
        method: 'GET',
        url: `/signet/v1/audit-events?kid=${encodeURIComponent(key.kid)}`,
        headers: context.admin,
      })
    ).json();
    assert.deepEqual(
      new Set(audit.items.map((event: { operation: string }) => event.operation)),
      new Set(['generate', 'rotate', 'clone']),
    );
    assert.ok(audit.items.every((event: { details: { surface?: string } }) => event.details.surface === 'okta'));
  });

  test('key store: add RSA and EC P-256/384/521 from x5c, refuse other keys, page with Link headers, get, replace, delete 204', async () => {
    const added: { kid: string; kty: string; crv?: string; e?: string; x5c: string[] }[] = [];
    for (const kind of ['RSA', 'P-256', 'P-384', 'P-521'] as const) {
      const x5c = await selfSignedCertificate(kind);
      const response = await call('POST', STORE, { x5c: [x5c] });
      assert.equal(response.statusCode, 200, response.body);
      added.push(response.json());
      assert.deepEqual(response.json().x5c, [x5c]);
      context.advance(1000);
    }
    assert.deepEqual(
      added.map((key) => key.kty),
      ['RSA', 'EC', 'EC', 'EC'],
    );
    assert.deepEqual(
      added.map((key) => key.crv ?? null),
      [null, 'P-256', 'P-384', 'P-521'],
    );
    assert.equal(added[0]!.e, 'AQAB');

    for (const body of [
      { x5c: [await selfSignedCertificate('Ed25519')] },
      { x5c: ['bm90IGEgY2VydGlmaWNhdGU='] },
      { x5c: ['***'] },
      { x5c: [] },
      {},
    ]) {
      assertOktaError(await call('POST', STORE, body), 400, 'E0000001');
    }

    const first = await call('GET', `${STORE}?limit=3`);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(
      first.json().map((key: { kid: string }) => key.kid),
      added.slice(0, 3).map((key) => key.kid),
    );
    const links = ([] as string[]).concat(first.headers.link as string | string[]);
    assert.ok(links.includes('<http://signet.test/api/v1/idps/credentials/keys?limit=3>; rel="self"'));
    const next = links.map((link) => /^<([^>]+)>; rel="next"$/.exec(link)?.[1]).find(Boolean)!;
    assert.ok(next, 'a Link rel="next" header');
    const second = await call('GET', next.replace('http://signet.test', ''));
    assert.deepEqual(
      second.json().map((key: { kid: string }) => key.kid),
      [added[3]!.kid],
    );
    assert.ok(
      !([] as string[]).concat(second.headers.link as string | string[]).some((link) => link.endsWith('rel="next"')),
      'the last page has no next link',
    );
    assert.equal((await call('GET', STORE)).json().length, 4, 'limit defaults to 20');
    for (const query of ['?limit=0', '?limit=201', '?limit=abc', '?after=%25%25'])
      assertOktaError(await call('GET', `${STORE}${query}`), 400, 'E0000001');

    assert.deepEqual((await call('GET', `${STORE}/${added[1]!.kid}`)).json(), added[1]);
    const replacement = await selfSignedCertificate('RSA', 'replacement.example');
    const replaced = await call('PUT', `${STORE}/${added[1]!.kid}`, { x5c: [replacement] });
    assert.equal(replaced.statusCode, 200);
    assert.equal(replaced.json().kid, added[1]!.kid);
    assert.equal(replaced.json().kty, 'RSA');
    assertOktaError(
      await call('PUT', `${STORE}/${added[1]!.kid}`, { x5c: ['bm9wZQ=='] }),
      400,
      'E0000001',
      'Api validation failed: replaceKey',
    );
    assertOktaError(await call('PUT', `${STORE}/missing`, { x5c: [replacement] }), 404, 'E0000007');

    const deleted = await call('DELETE', `${STORE}/${added[2]!.kid}`);
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    assertOktaError(await call('GET', `${STORE}/${added[2]!.kid}`), 404, 'E0000007');
    assertOktaError(await call('DELETE', `${STORE}/${added[2]!.kid}`), 404, 'E0000007');
    assertOktaError(await call('PATCH', `${STORE}/${added[0]!.kid}`), 405, 'E0000022');

    const audit = (
      await context.app.inject({
        method: 'GET',
        url: `/signet/v1/audit-events?kid=${added[1]!.kid}`,
        headers: context.admin,
      })
    ).json();
    assert.deepEqual(
      audit.items.map((event: { action: string }) => event.action),
      ['keyStoreCredential.replaced', 'keyStoreCredential.created'],
    );
    const deletion = (
      await context.app.inject({
        method: 'GET',
        url: `/signet/v1/audit-events?kid=${added[2]!.kid}`,
        headers: context.admin,
      })
    ).json();
    assert.equal(deletion.items[0].action, 'keyStoreCredential.deleted');
    assert.equal(deletion.items[0].details.surface, 'okta', 'the audit log names the dialect');
  });

  test('a key-store certificate an IdP trusts is refused deletion with 400 E0000001 until the IdP trusts another', async () => {
    const trusted = (await call('POST', STORE, { x5c: [await selfSignedCertificate('RSA')] })).json();
    const other = (await call('POST', STORE, { x5c: [await selfSignedCertificate('RSA')] })).json();
    const idpId = await createIdp('Trusting', trusted.kid);
    assert.equal((await call('GET', `/api/v1/idps/${idpId}`)).json().protocol.credentials.trust.kid, trusted.kid);

    assertOktaError(
      await call('DELETE', `${STORE}/${trusted.kid}`),
      400,
      'E0000001',
      'Api validation failed: deleteKey',
      ['The key is in use by an identity provider and cannot be deleted.'],
    );
    assert.equal((await call('GET', `${STORE}/${trusted.kid}`)).statusCode, 200);

    const idp = (await call('GET', `/api/v1/idps/${idpId}`)).json();
    await call('PUT', `/api/v1/idps/${idpId}`, {
      ...idp,
      protocol: { ...idp.protocol, credentials: { trust: { kid: other.kid } } },
    });
    assert.equal((await call('DELETE', `${STORE}/${trusted.kid}`)).statusCode, 204);
  });

  test('CSRs: create as JSON or PKCS#10, list, get, publish DER, base64, CER and PEM with the documented checks, delete 204', async () => {
    const idpId = await createIdp('CSR IdP');
    const csrs = `/api/v1/idps/${idpId}/credentials/csrs`;
    const metadata = {
      subject: { commonName: 'sp.example.com', organizationName: 'Example, Inc.', countryName: 'US' },
      subjectAltNames: { dnsNames: ['sp.example.com', 'www.sp.example.com'] },
    };
    const created = await call('POST', csrs, metadata);
    assert.equal(created.statusCode, 201);
    const csr = created.json();
    assert.deepEqual(Object.keys(csr).sort(), ['_links', 'created', 'csr', 'id', 'kty']);
    assert.equal(created.headers.location, `http://signet.test${csrs}/${csr.id}`);
    assert.equal(csr._links.publish.href, `http://signet.test${csrs}/${csr.id}/lifecycle/publish`);
    assert.deepEqual(findPrivateMaterial(created.body), []);

    const pkcs10 = await call('POST', csrs, metadata, { ...SSWS, accept: 'application/pkcs10' });
    assert.equal(pkcs10.statusCode, 201);
    assert.match(String(pkcs10.headers['content-type']), /^application\/pkcs10/);
    assert.match(pkcs10.body, /^[A-Za-z0-9+/]+=*$/);
    const asPkcs10 = await call('GET', `${csrs}/${csr.id}`, undefined, { ...SSWS, accept: 'application/pkcs10' });
    assert.equal(asPkcs10.body, csr.csr);
    assert.deepEqual((await call('GET', `${csrs}/${csr.id}`)).json(), csr);
    assert.equal((await call('GET', csrs)).json().length, 2);

    for (const body of [
      {},
      { subject: {} },
      { subject: { countryName: 'USA' } },
      { subject: { commonName: 'x' }, subjectAltNames: { dnsNames: ['not a dns name'] } },
    ]) {
      assertOktaError(await call('POST', csrs, body), 400, 'E0000001', 'Api validation failed: generateCsr');
    }

    const ca = await createCa();
    const publish = (id: string, body: string | Buffer, contentType: string, extra: Record<string, string> = {}) =>
      context.app.inject({
        method: 'POST',
        url: `${csrs}/${id}/lifecycle/publish`,
        headers: { ...SSWS, 'content-type': contentType, ...extra },
        payload: body,
      });

    assertOktaError(
      await publish(csr.id, await issueCertificate(ca, csr.csr, 89), 'application/pkix-cert'),
      400,
      'E0000001',
      'Api validation failed: publishCsr',
    );
    const otherCsr = (await call('POST', csrs, metadata)).json();
    assertOktaError(
      await publish(csr.id, await issueCertificate(ca, otherCsr.csr, 365), 'application/pkix-cert'),
      400,
      'E0000001',
      'Api validation failed: publishCsr',
      ['The certificate does not match the CSR.'],
    );
    assertOktaError(await publish(csr.id, Buffer.from('garbage'), 'application/x-pem-file'), 400, 'E0000001');
    assert.equal((await publish(csr.id, JSON.stringify({ cert: 'x' }), 'application/json')).statusCode, 415);

    const der = await issueCertificate(ca, csr.csr, 365);
    const published = await publish(csr.id, der, 'application/pkix-cert');
    assert.equal(published.statusCode, 201, published.body);
    assert.deepEqual(published.json().x5c, [der.toString('base64')]);
    assert.equal(published.json().kty, 'RSA');
    assert.ok(
      (await call('GET', `/api/v1/idps/${idpId}/credentials/keys`))
        .json()
        .some((key: { kid: string }) => key.kid === published.json().kid),
    );
    // Published: the CSR is gone, its key lives on in the IdP's key set.
    assertOktaError(await call('GET', `${csrs}/${csr.id}`), 404, 'E0000007');

    const base64 = await publish(
      otherCsr.id,
      (await issueCertificate(ca, otherCsr.csr, 365)).toString('base64'),
      'application/pkix-cert',
      { 'content-transfer-encoding': 'base64' },
    );
    assert.equal(base64.statusCode, 201, base64.body);
    const third = (await call('POST', csrs, metadata)).json();
    assert.equal(
      (await publish(third.id, await issueCertificate(ca, third.csr, 365), 'application/x-x509-ca-cert')).statusCode,
      201,
    );
    const fourth = (await call('POST', csrs, metadata)).json();
    assert.equal(
      (await publish(fourth.id, toPem(await issueCertificate(ca, fourth.csr, 365)), 'application/x-pem-file'))
        .statusCode,
      201,
    );

    const doomed = pkcs10.headers.location!.split('/').at(-1)!;
    const deleted = await call('DELETE', `${csrs}/${doomed}`);
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    assertOktaError(await call('DELETE', `${csrs}/${doomed}`), 404, 'E0000007');
    assertOktaError(await call('GET', `/api/v1/idps/0oaMissing/credentials/csrs`), 404, 'E0000007');
    assertOktaError(await call('PUT', `${csrs}/${doomed}`, {}), 405, 'E0000022');
    assert.deepEqual((await call('GET', csrs)).json(), []);
  });

  test('401 E0000011, and 403 E0000006 for a token without okta.idps.manage or okta.idps.read', async () => {
    const idpId = await createIdp('Scoped');
    assertOktaError(await call('GET', '/api/v1/idps', undefined, {}), 401, 'E0000011', 'Invalid token provided');
    assertOktaError(await call('GET', STORE, undefined, { authorization: 'SSWS wrong' }), 401, 'E0000011');
    const readerToken = (
      await context.app.inject({
        method: 'POST',
        url: '/signet/v1/api-tokens',
        headers: context.admin,
        payload: { name: 'r', scopes: ['okta.idps.read'] },
      })
    ).json().token;
    const reader = { authorization: `SSWS ${readerToken}` };
    assert.equal((await call('GET', `/api/v1/idps/${idpId}/credentials/keys`, undefined, reader)).statusCode, 200);
    assertOktaError(
      await call('POST', `/api/v1/idps/${idpId}/credentials/keys/generate?validityYears=2`, undefined, reader),
      403,
      'E0000006',
    );
    assertOktaError(await call('POST', STORE, { x5c: [] }, reader), 403, 'E0000006');
    assertOktaError(await call('POST', `/api/v1/idps/${idpId}/credentials/csrs`, {}, reader), 403, 'E0000006');
    const asToken = (
      await context.app.inject({
        method: 'POST',
        url: '/signet/v1/api-tokens',
        headers: context.admin,
        payload: { name: 'a', scopes: ['okta.authorizationServers.manage'] },
      })
    ).json().token;
    assertOktaError(
      await call('GET', '/api/v1/idps', undefined, { authorization: `SSWS ${asToken}` }),
      403,
      'E0000006',
    );
  });

  test('a Bearer access token from the Okta org token endpoint carries its okta.* scope, in the root tenant and under /t/{tenant}', async () => {
    const idpId = await createIdp('Bearer');
    const { clientId, clientSecret } = await clientWith(context, ['okta.idps.read']);
    const issued = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v1/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: 'okta.idps.read',
      }).toString(),
    });
    assert.equal(issued.statusCode, 200, issued.body);
    const bearer = { authorization: `Bearer ${issued.json().access_token}` };
    assert.equal((await call('GET', `/api/v1/idps/${idpId}/credentials/keys`, undefined, bearer)).statusCode, 200);
    assert.equal((await call('GET', `/t/default/api/v1/idps/${idpId}`, undefined, bearer)).json().id, idpId);
    assertOktaError(
      await call('POST', `/api/v1/idps/${idpId}/credentials/keys/generate?validityYears=2`, undefined, bearer),
      403,
      'E0000006',
    );
    assertOktaError(await call('GET', '/api/v1/authorizationServers/default', undefined, bearer), 403, 'E0000006');
  });
});

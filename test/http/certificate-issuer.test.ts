import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { pino } from 'pino';
import type { RequestContext } from '../../src/domain/types.ts';
import { createScheduler } from '../../src/scheduler/create-scheduler.ts';
import { ADMIN_TOKEN, createTestContext, type TestContext } from '../helpers/create-test-context.ts';
import { createCa, issueCertificate } from '../helpers/test-certificates.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

const DAY = 86_400_000;
const SSWS = { authorization: `SSWS ${ADMIN_TOKEN}` };
const OPERATOR: RequestContext = {
  actor: { type: 'system', id: 'test', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'native',
};

interface NativeKey {
  kid: string;
  state: string;
  certificate: { x5c: string[]; notAfter: string; issuer: string };
}

describe('certificate renewal keeps a CA-issued certificate', () => {
  let context: TestContext;
  // The CA signs with the real clock, so the test clock starts there too.
  beforeEach(async () => {
    context = await createTestContext({ startAt: Date.now() });
  });
  afterEach(() => context.close());

  const okta = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = SSWS) =>
    context.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const native = (url: string) =>
    context.app.inject({ method: 'GET', url: `/signet/v1${url}`, headers: context.admin });

  /** An Okta IdP whose signing key set holds a self-signed active key and, as next key, a CSR's key with a CA's certificate. */
  async function idpWithCaCertificate(caValidityDays: number) {
    const created = await okta('POST', '/api/v1/idps', {
      type: 'SAML2',
      name: 'Partner',
      protocol: { type: 'SAML2', endpoints: { sso: { url: 'https://idp.example/sso' } } },
    });
    assert.equal(created.statusCode, 200, created.body);
    const idpId: string = created.json().id;
    const keySetId = (await context.services.identityProviders.getSigningKeySet('default', idpId)).id;
    // MANUAL: no rotation retires either key while the clock runs for a year.
    await context.services.keys.updatePolicy(OPERATOR, 'default', keySetId, { mode: 'MANUAL' });
    const csr = (
      await okta('POST', `/api/v1/idps/${idpId}/credentials/csrs`, { subject: { commonName: 'sp.example.com' } })
    ).json();
    const der = await issueCertificate(await createCa(), csr.csr, caValidityDays, context.clock.now);
    const published = await context.app.inject({
      method: 'POST',
      url: `/api/v1/idps/${idpId}/credentials/csrs/${csr.id}/lifecycle/publish`,
      headers: { ...SSWS, 'content-type': 'application/pkix-cert' },
      payload: der,
    });
    assert.equal(published.statusCode, 201, published.body);
    const keys = (await native(`/key-sets/${keySetId}/keys`)).json().items as NativeKey[];
    const ca = keys.find((key) => key.kid === published.json().kid)!;
    const own = keys.find((key) => key.state === 'active')!;
    assert.equal(ca.state, 'next');
    assert.deepEqual(ca.certificate.x5c, [der.toString('base64')]);
    assert.equal(ca.certificate.issuer, 'external');
    assert.equal(own.certificate.issuer, 'signet');
    return { idpId, keySetId, ca, own };
  }

  test("past the renew time the scheduler renews the self-signed certificate and leaves the CA's as published", async () => {
    const { idpId, keySetId, ca, own } = await idpWithCaCertificate(400);
    // Past the renew time of both (30 days before each certificate's notAfter), before the CA's expires.
    context.clock.now = Date.parse(ca.certificate.notAfter) - 10 * DAY;
    assert.ok(context.clock.now > Date.parse(own.certificate.notAfter) - 30 * DAY);
    await context.scheduler.runOnce();

    const after = (await native(`/key-sets/${keySetId}/keys`)).json().items as NativeKey[];
    const renewed = after.find((key) => key.kid === own.kid)!;
    assert.notDeepEqual(renewed.certificate.x5c, own.certificate.x5c);
    assert.ok(Date.parse(renewed.certificate.notAfter) > Date.parse(own.certificate.notAfter));
    assert.equal(renewed.certificate.issuer, 'signet');
    const kept = after.find((key) => key.kid === ca.kid)!;
    assert.deepEqual(kept.certificate, ca.certificate);
    // What a relying party sees through Okta's API is the CA's certificate too.
    const viaOkta = (await okta('GET', `/api/v1/idps/${idpId}/credentials/keys/${ca.kid}`)).json();
    assert.deepEqual(viaOkta.x5c, ca.certificate.x5c);

    const renewals = await context.services.audit.listAuditEvents('default', {
      keySetId,
      action: 'key.certificateRenewed',
    });
    assert.deepEqual(
      renewals.items.map((event) => event.kid),
      [own.kid],
    );
    // The plan shows when the CA's certificate runs out; the native API reports it as such.
    const plan = (await native(`/key-sets/${keySetId}/plan`)).json().items as {
      at: string;
      action: string;
      kid: string | null;
    }[];
    assert.deepEqual(
      plan.filter((t) => t.kid === ca.kid),
      [{ at: ca.certificate.notAfter, action: 'certificateExpires', kid: ca.kid }],
    );
    assert.ok(!plan.some((t) => t.action === 'renewCertificate' && t.kid === ca.kid));
  });

  test("a clone keeps its certificate's issuer: a CA-issued key's copy is never renewed, a self-signed key's copy stays Signet's", async () => {
    const { idpId, ca, own } = await idpWithCaCertificate(400);
    // A clone of the self-signed key stays Signet's, so its new key set renews it.
    const third = (
      await okta('POST', '/api/v1/idps', {
        type: 'SAML2',
        name: 'Third',
        protocol: { type: 'SAML2', endpoints: { sso: { url: 'https://third.example/sso' } } },
      })
    ).json();
    assert.equal(
      (await okta('POST', `/api/v1/idps/${idpId}/credentials/keys/${own.kid}/clone?targetIdpId=${third.id}`))
        .statusCode,
      201,
    );
    const thirdKeySetId = (await context.services.identityProviders.getSigningKeySet('default', third.id)).id;
    const ownCopy = ((await native(`/key-sets/${thirdKeySetId}/keys`)).json().items as NativeKey[]).find(
      (key) => key.kid === own.kid,
    )!;
    assert.equal(ownCopy.certificate.issuer, 'signet');

    const other = await okta('POST', '/api/v1/idps', {
      type: 'SAML2',
      name: 'Other',
      protocol: { type: 'SAML2', endpoints: { sso: { url: 'https://other.example/sso' } } },
    });
    const otherId: string = other.json().id;
    const cloned = await okta('POST', `/api/v1/idps/${idpId}/credentials/keys/${ca.kid}/clone?targetIdpId=${otherId}`);
    assert.equal(cloned.statusCode, 201, cloned.body);
    const otherKeySetId = (await context.services.identityProviders.getSigningKeySet('default', otherId)).id;
    await context.services.keys.updatePolicy(OPERATOR, 'default', otherKeySetId, { mode: 'MANUAL' });
    const copy = () =>
      native(`/key-sets/${otherKeySetId}/keys`).then(
        (r) => (r.json().items as NativeKey[]).find((key) => key.kid === ca.kid)!,
      );
    assert.deepEqual((await copy()).certificate, ca.certificate);
    context.clock.now = Date.parse(ca.certificate.notAfter) - 10 * DAY;
    await context.scheduler.runOnce();
    assert.deepEqual((await copy()).certificate, ca.certificate);
  });

  test('an expired CA certificate is still not replaced, and does not cut the JWKS max-age or keep the scheduler busy', async () => {
    const { keySetId, ca } = await idpWithCaCertificate(100);
    context.clock.now = Date.parse(ca.certificate.notAfter) + DAY;
    assert.deepEqual(await context.services.keys.runDueTransitions(OPERATOR, keySetId), []);
    const kept = ((await native(`/key-sets/${keySetId}/keys`)).json().items as NativeKey[]).find(
      (key) => key.kid === ca.kid,
    )!;
    assert.deepEqual(kept.certificate, ca.certificate);
    const view = context.registry.getKeySetView(keySetId)!;
    assert.ok(view.nextChangeAt === null || view.nextChangeAt > context.clock.now, 'no transition is overdue');
    const keySet = (await native(`/key-sets/${keySetId}`)).json();
    assert.notEqual(keySet.nextTransition?.action, 'certificateExpires');
  });

  test('the scheduler warns once when a CA certificate comes within the renew window', async () => {
    const { ca } = await idpWithCaCertificate(400);
    const lines: { level: number; msg: string; kid?: string; certificateNotAfter?: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const scheduler = createScheduler({
      registry: context.registry,
      keys: context.services.keys,
      now: () => context.clock.now,
      intervalMs: 1000,
      logger: pino(sink),
    });
    const warnings = () => lines.filter((line) => line.level === 40 && line.kid === ca.kid);

    context.clock.now = Date.parse(ca.certificate.notAfter) - 30 * DAY - 1000;
    await scheduler.runOnce();
    assert.deepEqual(warnings(), []);
    context.clock.now += 1000;
    await scheduler.runOnce();
    context.clock.now += DAY;
    await scheduler.runOnce();
    assert.equal(warnings().length, 1);
    assert.equal(warnings()[0]!.certificateNotAfter, ca.certificate.notAfter);
    assert.match(warnings()[0]!.msg, /CA-issued certificate expires/);
  });

  test('a CA certificate inside the renew window is reported once as dev.signet.certificate.expiring', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const created = await context.app.inject({
        method: 'POST',
        url: '/signet/v1/webhooks',
        headers: context.admin,
        payload: { url: receiver.url, eventTypes: ['dev.signet.certificate.expiring'] },
      });
      receiver.trust(created.json().secret);
      const { keySetId, ca } = await idpWithCaCertificate(400);
      context.clock.now = Date.parse(ca.certificate.notAfter) - 30 * DAY + 1000;
      await context.scheduler.runOnce();
      await context.scheduler.runOnce();
      context.clock.now += DAY;
      await context.scheduler.runOnce();
      await context.dispatcher.runOnce();
      assert.equal(receiver.received.length, 1);
      const { event } = receiver.received[0]!;
      assert.equal(event.type, 'dev.signet.certificate.expiring');
      assert.equal(event.subject, `${keySetId}/${ca.kid}`);
      assert.equal(
        (event.data.details as { certificateNotAfter: string }).certificateNotAfter,
        ca.certificate.notAfter,
      );
    } finally {
      await receiver.close();
    }
  });
});

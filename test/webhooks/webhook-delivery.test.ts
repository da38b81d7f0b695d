import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { auditEvent } from '../../src/services/audit-event.ts';
import {
  BASE_URL,
  createTestContext,
  defaultKeySetId,
  findPrivateMaterial,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

const SAFE_WINDOW_MS = (3600 + 300) * 1000;

describe('webhooks: signed CloudEvents from the outbox', () => {
  let context: TestContext;
  let receiver: WebhookReceiver;
  let keySetId: string;
  beforeEach(async () => {
    context = await createTestContext();
    receiver = await startWebhookReceiver();
    keySetId = defaultKeySetId(context);
  });
  afterEach(async () => {
    await receiver.close();
    await context.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = context.admin) =>
    context.app.inject({
      method,
      url: url.startsWith('/t/') ? url : `/signet/v1${url}`,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  async function subscribe(body: Record<string, unknown> = {}): Promise<string> {
    const created = await call('POST', '/webhooks', { url: receiver.url, ...body });
    assert.equal(created.statusCode, 201, created.body);
    receiver.trust(created.json().secret);
    return created.json().webhook.id;
  }

  test('POST /webhooks answers the webhook and a whsec_ secret once; GET never shows it', async () => {
    const created = await call('POST', '/webhooks', { url: receiver.url });
    assert.equal(created.statusCode, 201, created.body);
    const { webhook, secret } = created.json();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(webhook.url, receiver.url);
    assert.equal(webhook.eventTypes, null);
    assert.equal(webhook.keySetIds, null);
    assert.equal(webhook.enabled, true);
    assert.equal(webhook.status, 'healthy');
    const listed = await call('GET', '/webhooks');
    const one = await call('GET', `/webhooks/${webhook.id}`);
    assert.deepEqual(one.json().webhook, webhook);
    assert.deepEqual(listed.json().items, [webhook]);
    for (const text of [listed.body, one.body]) {
      assert.ok(!text.includes(secret.slice(6)), 'the secret is not shown again');
      assert.ok(!text.includes('sgk1.'), 'nor its sealed form');
    }
  });

  test('a rotation delivers key.activated, key.draining and key.generated, each verified and in commit order', async () => {
    await subscribe();
    const before = (await call('GET', `/key-sets/${keySetId}`)).json();
    context.advance(SAFE_WINDOW_MS);
    assert.equal((await call('POST', `/key-sets/${keySetId}/rotate`, {})).statusCode, 200);
    assert.equal(receiver.received.length, 0, 'nothing is sent from inside the request');
    await context.dispatcher.runOnce();
    assert.deepEqual(receiver.rejected, []);
    const types = receiver.received.map((received) => received.event.type);
    assert.deepEqual(types, ['dev.signet.key.draining', 'dev.signet.key.activated', 'dev.signet.key.generated']);
    for (const { event, headers, id } of receiver.received) {
      assert.equal(event.specversion, '1.0');
      assert.equal(event.source, BASE_URL);
      assert.equal(event.id, id, 'the CloudEvents id is the webhook-id');
      assert.equal(event.time, new Date(context.clock.now).toISOString());
      assert.equal(event.subject, `${keySetId}/${event.data.kid}`);
      assert.equal(event.datacontenttype, 'application/json');
      assert.match(String(headers['content-type']), /^application\/cloudevents\+json/);
      assert.equal(event.data.keySetId, keySetId);
      assert.equal(event.data.operation, 'rotate');
      assert.deepEqual(findPrivateMaterial(JSON.stringify(event)), []);
    }
    const [draining, activated] = receiver.received.map((received) => received.event.data);
    assert.equal(draining!.kid, before.activeKid);
    assert.deepEqual([draining!.fromState, draining!.toState], ['active', 'draining']);
    assert.equal(activated!.kid, before.nextKid);
    // Delivered: a second pass sends nothing more.
    assert.equal(await context.dispatcher.runOnce(), 0);
  });

  test('every lifecycle transition type produces its event', async () => {
    await subscribe();
    const policy = (await call('GET', `/key-sets/${keySetId}`)).json().policy;
    // A short draining window and certificate validity, so retirement and renewal come due soon.
    const patched = await call('PATCH', `/key-sets/${keySetId}`, {
      policy: { certificateValiditySeconds: 3 * 86_400, certificateRenewBeforeSeconds: 86_400 },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const rotated = (await call('POST', `/key-sets/${keySetId}/rotate`, { force: true })).json();
    const draining = rotated.keys.find((k: { state: string }) => k.state === 'draining').kid;
    const second = (await call('POST', `/key-sets/${keySetId}/rotate`, { force: true })).json();
    const revocable = second.keys.find(
      (k: { state: string; kid: string }) => k.state === 'draining' && k.kid !== draining,
    ).kid;
    assert.equal((await call('POST', `/key-sets/${keySetId}/keys/${revocable}/revoke`, {})).statusCode, 200);
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    const imported = await call('POST', `/key-sets/${keySetId}/keys/import`, { privateKey: pem });
    assert.ok([200, 201].includes(imported.statusCode), imported.body);
    // Past the retire time of the first draining key and into every certificate's renew window.
    context.advance((policy.drainingPeriodSeconds + 2 * 86_400 + 60) * 1000);
    await context.scheduler.runOnce();
    await context.dispatcher.runOnce();
    const seen = new Set(receiver.received.map((received) => received.event.type));
    for (const type of [
      'dev.signet.keyset.policy-changed',
      'dev.signet.key.generated',
      'dev.signet.key.activated',
      'dev.signet.key.draining',
      'dev.signet.key.revoked',
      'dev.signet.key.imported',
      'dev.signet.key.retired',
      'dev.signet.certificate.renewed',
    ]) {
      assert.ok(seen.has(type), `${type} was delivered (got ${[...seen].join(', ')})`);
    }
    assert.deepEqual(receiver.rejected, []);
  });

  test('an AUTO rotation carried out late (the scheduler could not run) is reported as dev.signet.rotation.overdue', async () => {
    await subscribe({ eventTypes: ['dev.signet.rotation.overdue', 'dev.signet.key.activated'] });
    const rotationDueAt = () =>
      context.registry.getKeySetView(keySetId)!.schedule.find((transition) => transition.action === 'rotate')!.at;
    context.clock.now = rotationDueAt() + 60_000;
    // In time (a minute late is a slow pass, not an outage): no overdue notice.
    await context.scheduler.runOnce();
    const rotatedAgainAt = rotationDueAt();
    context.clock.now = rotatedAgainAt + 3 * 3600 * 1000;
    await context.scheduler.runOnce();
    await context.dispatcher.runOnce();
    const types = receiver.received.map((received) => received.event.type);
    assert.deepEqual(types, ['dev.signet.key.activated', 'dev.signet.key.activated', 'dev.signet.rotation.overdue']);
    const overdue = receiver.received[2]!.event;
    assert.equal((overdue.data.details as { overdueSeconds: number }).overdueSeconds, 3 * 3600);
    assert.equal((overdue.data.details as { dueAt: string }).dueAt, new Date(rotatedAgainAt).toISOString());
  });

  test('a change that rolls back sends nothing; the same change committed sends its event', async () => {
    const webhookId = await subscribe();
    const kid = (await call('GET', `/key-sets/${keySetId}`)).json().nextKid;
    const revokeNext = (fail: boolean) =>
      context.store.transaction(async (tx) => {
        const key = (await tx.getKey(keySetId, kid))!;
        await tx.updateKey({ ...key, state: 'revoked', revokedAt: context.clock.now });
        await tx.appendAuditEvent(
          auditEvent(
            {
              actor: { type: 'system', id: 'test', tenantId: null },
              requestId: null,
              sourceIp: null,
              surface: 'native',
            },
            'default',
            context.clock.now,
            'key.revoked',
            'revoke',
            { keySetId, kid, fromState: 'next', toState: 'revoked' },
          ),
        );
        if (fail) throw new Error('the change fails after its audit event');
      });
    await assert.rejects(revokeNext(true), /fails after/);
    assert.equal(await context.dispatcher.runOnce(), 0);
    assert.equal(receiver.received.length, 0);
    assert.deepEqual((await call('GET', `/webhooks/${webhookId}/deliveries`)).json().items, []);

    await revokeNext(false);
    await context.dispatcher.runOnce();
    assert.deepEqual(
      receiver.received.map((received) => [received.event.type, received.event.data.kid]),
      [['dev.signet.key.revoked', kid]],
    );
  });

  test('a failing receiver is retried with growing delays, then gets every event in order', async () => {
    const webhookId = await subscribe();
    receiver.setReply((_received, index) => (index < 3 ? 503 : 200));
    await call('POST', `/key-sets/${keySetId}/rotate`, { force: true });
    const delays: number[] = [];
    let lastAttemptAt = context.clock.now;
    await context.dispatcher.runOnce();
    for (let failures = 1; failures < 4; failures += 1) {
      // Nothing is sent before the retry time.
      assert.equal(await context.dispatcher.runOnce(), 0);
      const head = (await call('GET', `/webhooks/${webhookId}/deliveries`)).json().items.at(-1);
      assert.equal(head.status, 'pending');
      assert.equal(head.attempts, failures);
      const retryAt = Date.parse(head.nextAttemptAt);
      delays.push(retryAt - lastAttemptAt);
      context.clock.now = retryAt - 1;
      assert.equal(await context.dispatcher.runOnce(), 0, 'not a millisecond early');
      context.clock.now = retryAt;
      lastAttemptAt = retryAt;
      await context.dispatcher.runOnce();
    }
    assert.ok(
      delays.every((delay, index) => index === 0 || delay > delays[index - 1]!),
      `delays grow: ${delays}`,
    );
    assert.equal(delays[0], 30_000);
    const ids = receiver.received.map((received) => received.event.id);
    // The first event four times (three 503s, then 200), then the other two, in commit order.
    assert.equal(new Set(ids.slice(0, 4)).size, 1);
    assert.deepEqual(
      receiver.received.slice(3).map((received) => received.event.type),
      ['dev.signet.key.draining', 'dev.signet.key.activated', 'dev.signet.key.generated'],
    );
    const deliveries = (await call('GET', `/webhooks/${webhookId}/deliveries`)).json().items;
    assert.ok(deliveries.every((delivery: { status: string }) => delivery.status === 'delivered'));
    const first = deliveries.at(-1);
    assert.deepEqual(
      first.attemptLog.map((attempt: { responseCode: number; outcome: string }) => [
        attempt.responseCode,
        attempt.outcome,
      ]),
      [
        [503, 'failed'],
        [503, 'failed'],
        [503, 'failed'],
        [200, 'delivered'],
      ],
    );
    assert.ok(first.attemptLog.every((attempt: { latencyMs: number }) => Number.isInteger(attempt.latencyMs)));
  });

  test('repeated failures mark the subscription failing until a delivery succeeds; redeliver sends a failed one again', async () => {
    const webhookId = await subscribe({ eventTypes: ['dev.signet.key.revoked'] });
    receiver.setReply(() => 500);
    const rotated = (await call('POST', `/key-sets/${keySetId}/rotate`, { force: true })).json();
    const draining = rotated.keys.find((k: { state: string }) => k.state === 'draining').kid;
    await call('POST', `/key-sets/${keySetId}/keys/${draining}/revoke`, {});
    for (let attempt = 0; attempt < 16; attempt += 1) {
      await context.dispatcher.runOnce();
      context.advance(7 * 3600 * 1000);
    }
    assert.equal(receiver.received.length, 16, 'sixteen attempts, then it gives up');
    assert.ok(receiver.received.every((received) => received.event.type === 'dev.signet.key.revoked'));
    assert.equal((await call('GET', `/webhooks/${webhookId}`)).json().webhook.status, 'failing');
    const [delivery] = (await call('GET', `/webhooks/${webhookId}/deliveries`)).json().items;
    assert.equal(delivery.status, 'failed');
    assert.equal(await context.dispatcher.runOnce(), 0);

    receiver.setReply(() => 200);
    const redelivered = await call('POST', `/webhooks/${webhookId}/deliveries/failed/redeliver`);
    assert.equal(redelivered.statusCode, 202);
    assert.equal(redelivered.json().queued, 1);
    await context.dispatcher.runOnce();
    assert.equal(receiver.received.at(-1)!.answered, 200);
    assert.equal((await call('GET', `/webhooks/${webhookId}`)).json().webhook.status, 'healthy');
    const one = await call('POST', `/webhooks/${webhookId}/deliveries/${delivery.id}/redeliver`);
    assert.equal(one.json().queued, 1);
    await context.dispatcher.runOnce();
    assert.equal(receiver.received.length, 18);
    assert.equal(
      (await call('POST', `/webhooks/${webhookId}/deliveries/whd_nope/redeliver`)).json().error.code,
      'ERR_WEBHOOK_DELIVERY_NOT_FOUND',
    );
  });

  test('filters: only the event types and key sets asked for; a paused subscription gets nothing', async () => {
    await subscribe({ eventTypes: ['dev.signet.key.revoked'], keySetIds: [keySetId] });
    const paused = await subscribe({ enabled: false });
    const rotated = (await call('POST', `/key-sets/${keySetId}/rotate`, { force: true })).json();
    const draining = rotated.keys.find((k: { state: string }) => k.state === 'draining').kid;
    await call('POST', `/key-sets/${keySetId}/keys/${draining}/revoke`, {});
    await context.dispatcher.runOnce();
    assert.deepEqual(
      receiver.received.map((received) => received.event.type),
      ['dev.signet.key.revoked'],
    );
    assert.deepEqual((await call('GET', `/webhooks/${paused}/deliveries`)).json().items, []);
    assert.equal((await call('GET', `/webhooks/${paused}`)).json().webhook.status, 'paused');
  });

  test('a rotated secret: the old one keeps signing beside the new one for the grace period, then stops', async () => {
    const created = await call('POST', '/webhooks', { url: receiver.url });
    const { webhook, secret: oldSecret } = created.json();
    const rotated = await call('PATCH', `/webhooks/${webhook.id}`, { rotateSecret: true });
    assert.equal(rotated.statusCode, 200);
    const newSecret = rotated.json().secret;
    assert.match(newSecret, /^whsec_/);
    assert.notEqual(newSecret, oldSecret);
    assert.equal((await call('PATCH', `/webhooks/${webhook.id}`, { enabled: true })).json().secret, undefined);

    receiver.trustOnly(oldSecret);
    await call('POST', `/key-sets/${keySetId}/rotate`, { force: true });
    await context.dispatcher.runOnce();
    assert.equal(receiver.received.length, 3, 'a receiver still holding the old secret verifies');
    assert.equal(String(receiver.received[0]!.headers['webhook-signature']).split(' ').length, 2);

    context.advance(3600 * 1000 + 1);
    receiver.trustOnly(oldSecret);
    await call('POST', `/key-sets/${keySetId}/rotate`, { force: true });
    await context.dispatcher.runOnce();
    assert.equal(receiver.received.length, 3, 'after the grace period the old secret no longer verifies');
    assert.ok(receiver.rejected.length > 0);
    receiver.trustOnly(newSecret);
    context.advance(60_000);
    await context.dispatcher.runOnce();
    assert.equal(receiver.received.length, 6);
  });

  test('PATCH and DELETE /webhooks/{id}; unknown ids are 404', async () => {
    const id = await subscribe();
    const patched = await call('PATCH', `/webhooks/${id}`, { eventTypes: ['dev.signet.key.retired'], enabled: false });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual(patched.json().webhook.eventTypes, ['dev.signet.key.retired']);
    assert.equal(patched.json().webhook.enabled, false);
    assert.equal((await call('DELETE', `/webhooks/${id}`)).statusCode, 204);
    const gone = await call('GET', `/webhooks/${id}`);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'ERR_WEBHOOK_NOT_FOUND');
    assert.equal((await call('DELETE', `/webhooks/${id}`)).statusCode, 404);
  });
});

describe('webhooks: refusals', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = await createTestContext({ webhooks: { allowHttp: false, allowPrivateNetworks: false } });
  });
  afterEach(() => context.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = context.admin) =>
    context.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  test('http URLs are refused without SIGNET_WEBHOOK_ALLOW_HTTP', async () => {
    const response = await call('POST', '/signet/v1/webhooks', { url: 'http://hooks.example.com/x' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'ERR_WEBHOOK_URL_REFUSED');
  });

  test('private, loopback and link-local targets are refused without SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS', async () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://192.168.0.10/x',
      'https://172.20.0.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[fe80::1]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://localhost/x',
    ]) {
      const response = await call('POST', '/signet/v1/webhooks', { url });
      assert.equal(response.statusCode, 400, url);
      assert.equal(response.json().error.code, 'ERR_WEBHOOK_URL_REFUSED', url);
    }
    const ok = await call('POST', '/signet/v1/webhooks', { url: 'https://hooks.example.com/x' });
    assert.equal(ok.statusCode, 201, ok.body);
    const patched = await call('PATCH', `/signet/v1/webhooks/${ok.json().webhook.id}`, { url: 'https://127.0.0.1/x' });
    assert.equal(patched.json().error.code, 'ERR_WEBHOOK_URL_REFUSED');
  });

  test('bad event types, unknown key sets and malformed bodies are 400 or 404 and write nothing', async () => {
    const bad = await call('POST', '/signet/v1/webhooks', {
      url: 'https://hooks.example.com/x',
      eventTypes: ['dev.signet.key.rotated'],
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'ERR_VALIDATION');
    const empty = await call('POST', '/signet/v1/webhooks', { url: 'https://hooks.example.com/x', eventTypes: [] });
    assert.equal(empty.json().error.code, 'ERR_VALIDATION');
    const keySet = await call('POST', '/signet/v1/webhooks', {
      url: 'https://hooks.example.com/x',
      keySetIds: ['ks_nope'],
    });
    assert.equal(keySet.json().error.code, 'ERR_KEY_SET_NOT_FOUND');
    assert.equal((await call('POST', '/signet/v1/webhooks', { url: 'not a url' })).statusCode, 400);
    assert.equal((await call('POST', '/signet/v1/webhooks', { url: 'https://a.example/', extra: 1 })).statusCode, 400);
    assert.deepEqual((await call('GET', '/signet/v1/webhooks')).json().items, []);
  });

  test("another tenant's subscriptions are not found, and webhooks need the webhooks scopes", async () => {
    const own = await call('POST', '/signet/v1/webhooks', { url: 'https://hooks.example.com/x' });
    const id = own.json().webhook.id;
    const acme = await call('POST', '/signet/v1/tenants', { id: 'acme' });
    const acmeToken = { authorization: `Bearer ${acme.json().adminToken.token}` };
    for (const [method, url] of [
      ['GET', `/t/acme/signet/v1/webhooks/${id}`],
      ['PATCH', `/t/acme/signet/v1/webhooks/${id}`],
      ['GET', `/t/acme/signet/v1/webhooks/${id}/deliveries`],
    ] as const) {
      const response = await call(method, url, method === 'PATCH' ? { enabled: false } : undefined, acmeToken);
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      assert.equal(response.json().error.code, 'ERR_WEBHOOK_NOT_FOUND');
    }
    assert.deepEqual((await call('GET', '/t/acme/signet/v1/webhooks', undefined, acmeToken)).json().items, []);
    // A key set of the root tenant is not acme's to filter on.
    const foreign = await call(
      'POST',
      '/t/acme/signet/v1/webhooks',
      { url: 'https://hooks.example.com/x', keySetIds: [defaultKeySetId(context)] },
      acmeToken,
    );
    assert.equal(foreign.json().error.code, 'ERR_KEY_SET_NOT_FOUND');

    const readOnly = await call('POST', '/signet/v1/api-tokens', { name: 'reader', scopes: ['webhooks:read'] });
    const reader = { authorization: `Bearer ${readOnly.json().token}` };
    assert.equal((await call('GET', '/signet/v1/webhooks', undefined, reader)).statusCode, 200);
    const refused = await call('POST', '/signet/v1/webhooks', { url: 'https://hooks.example.com/y' }, reader);
    assert.equal(refused.statusCode, 403);
    const keysOnly = await call('POST', '/signet/v1/api-tokens', { name: 'keys', scopes: ['keys:read'] });
    assert.equal(
      (await call('GET', '/signet/v1/webhooks', undefined, { authorization: `Bearer ${keysOnly.json().token}` }))
        .statusCode,
      403,
    );
  });
});

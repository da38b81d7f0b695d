import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApp } from '../../src/http/create-app.ts';
import { createMetrics } from '../../src/metrics/create-metrics.ts';
import { createServices } from '../../src/services/create-services.ts';
import { createTestContext, BASE_URL, defaultKeySetId, type TestContext } from '../helpers/create-test-context.ts';
import { rawRequest, servedRequest } from '../helpers/raw-request.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const OPERATOR = {
  actor: { type: 'system' as const, id: 't', tenantId: null },
  requestId: null,
  sourceIp: null,
  surface: 'native' as const,
};

interface ReadinessBody {
  nextKid: string | null;
  consumerCount: number;
  readyCount: number;
  gate: { open: boolean; reason: string; requiredPercent: number };
  consumers: Array<{
    name: string | null;
    address: string;
    userAgent: string;
    firstSeenAt: string;
    lastFetchAt: string;
    ready: boolean;
    laggingSince: string | null;
    observedIntervalSeconds: number | null;
    fetchCount: number;
  }>;
}

describe('verifier readiness', () => {
  let context: TestContext;
  let port: number;
  let keySetId: string;
  beforeEach(async () => {
    context = await createTestContext();
    await context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (context.app.server.address() as { port: number }).port;
    keySetId = defaultKeySetId(context);
  });
  afterEach(() => context.close());

  const nextKid = () => context.registry.getKeySetView(keySetId)!.keys.find((key) => key.state === 'next')!.kid;
  async function readiness(): Promise<ReadinessBody> {
    const response = await context.app.inject({
      method: 'GET',
      url: `/signet/v1/key-sets/${keySetId}/readiness`,
      headers: context.admin,
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  }
  const byUserAgent = (body: ReadinessBody, userAgent: string) =>
    body.consumers.find((consumer) => consumer.userAgent === userAgent);

  test('every JWKS surface records its consumers, the fast path over a real socket included, named by query or header', async () => {
    const fetches: Array<[string, Record<string, string>, string]> = [
      ['/.well-known/jwks.json', { 'user-agent': 'jose/6.0 (node)' }, 'fast-jwks'],
      ['/oauth2/default/v1/keys?consumer=billing', { 'user-agent': 'jwks-rsa/3.1' }, 'fast-jwks'],
      ['/.well-known/jwks.json', { 'user-agent': 'Go-http-client/1.1', 'signet-consumer': 'payments' }, 'fast-jwks'],
      ['/oidc/2/certs', { 'user-agent': 'python-requests/2.32' }, 'fastify'],
    ];
    for (const [path, headers, servedBy] of fetches) {
      const response = await servedRequest(context, port, 'GET', path, headers);
      assert.equal(response.status, 200);
      assert.equal(response.servedBy, servedBy, path);
    }
    const body = await readiness();
    assert.equal(body.nextKid, nextKid());
    assert.equal(body.consumerCount, 4);
    assert.equal(body.readyCount, 4, 'each fetched a key set holding the next key');
    assert.equal(byUserAgent(body, 'jose/6.0 (node)')!.name, null);
    assert.equal(byUserAgent(body, 'jose/6.0 (node)')!.address, '127.0.0.1');
    assert.equal(byUserAgent(body, 'jwks-rsa/3.1')!.name, 'billing');
    assert.equal(byUserAgent(body, 'Go-http-client/1.1')!.name, 'payments');
    assert.equal(byUserAgent(body, 'python-requests/2.32')!.ready, true);
    const metrics = (await rawRequest(port, 'GET', '/metrics')).body;
    assert.match(
      metrics,
      new RegExp(`signet_readiness_consumers\\{tenant="default",key_set="${keySetId}",ready="true"\\} 4`),
    );
    assert.match(metrics, /signet_readiness_tracked_consumers 4/);
    assert.match(metrics, /signet_readiness_evicted_consumers 0/);
  });

  test('a 304 counts as a fetch; the observed interval is the mean time between fetches', async () => {
    const headers = { 'user-agent': 'jose/6.0' };
    const first = await servedRequest(context, port, 'GET', '/.well-known/jwks.json', headers);
    context.advance(10 * MINUTE);
    await servedRequest(context, port, 'GET', '/.well-known/jwks.json', {
      ...headers,
      'if-none-match': first.headers.etag!,
    });
    context.advance(20 * MINUTE);
    const last = await servedRequest(context, port, 'GET', '/.well-known/jwks.json', headers);
    assert.equal(last.servedBy, 'fast-jwks');
    const consumer = byUserAgent(await readiness(), 'jose/6.0')!;
    assert.equal(consumer.fetchCount, 3);
    assert.equal(consumer.observedIntervalSeconds, 15 * 60);
    assert.equal(consumer.firstSeenAt, new Date(Date.UTC(2026, 0, 1)).toISOString());
  });

  test('after a rotation the new next key is held by nobody until a consumer fetches again; the window drops old consumers', async () => {
    await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'early' });
    await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'late' });
    context.advance(2 * 3600_000);
    await context.services.keys.rotate(OPERATOR, 'default', keySetId, 'force');
    let body = await readiness();
    assert.equal(body.nextKid, nextKid());
    assert.deepEqual([body.consumerCount, body.readyCount], [2, 0]);
    const published = context.registry.getKeySetView(keySetId)!.keys.find((key) => key.state === 'next')!.publishedAt;
    assert.equal(byUserAgent(body, 'late')!.laggingSince, new Date(published).toISOString());
    context.advance(MINUTE);
    await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'early' });
    body = await readiness();
    assert.deepEqual([body.consumerCount, body.readyCount], [2, 1]);
    assert.equal(body.consumers[0]!.userAgent, 'early', 'ready consumers first');
    context.advance(7 * DAY);
    body = await readiness();
    assert.equal(body.consumerCount, 1, '"late" last fetched more than the 7-day window ago');
  });

  test('a second instance on the same database reports the same readiness, counts added', async () => {
    const services = createServices({
      store: context.store,
      registry: context.registry,
      pool: context.pool,
      sealer: context.sealer,
      custodies: context.custodies,
      now: () => context.clock.now,
      rootTenantId: 'default',
    });
    const other = await createApp({
      services,
      registry: context.registry,
      metrics: createMetrics({ registry: context.registry, now: () => context.clock.now }),
      now: () => context.clock.now,
      baseUrl: BASE_URL,
      rootTenantId: 'default',
      bodyLimitBytes: 64 * 1024,
      logger: false,
    });
    try {
      await other.listen({ port: 0, host: '127.0.0.1' });
      const otherPort = (other.server.address() as { port: number }).port;
      await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'balanced' });
      context.advance(MINUTE);
      await rawRequest(otherPort, 'GET', '/.well-known/jwks.json', { 'user-agent': 'balanced' });
      await rawRequest(otherPort, 'GET', '/.well-known/jwks.json', { 'user-agent': 'only-other' });
      // The other instance's interval flush (start-server.ts) writes what it saw.
      await services.readiness.flush();
      const here = await readiness();
      const there = await other.inject({
        method: 'GET',
        url: `/signet/v1/key-sets/${keySetId}/readiness`,
        headers: context.admin,
      });
      assert.deepEqual(there.json(), here);
      assert.equal(here.consumerCount, 2);
      const balanced = byUserAgent(here, 'balanced')!;
      assert.equal(balanced.fetchCount, 2);
      assert.equal(balanced.observedIntervalSeconds, 60);
    } finally {
      await other.close();
    }
  });

  test('the simulator lists the observed consumers, each matched to a verifier model by its User-Agent', async () => {
    await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'jose/v6.0.10' });
    await servedRequest(context, port, 'GET', '/.well-known/jwks.json?consumer=legacy', {
      'user-agent': 'Go-http-client/1.1',
    });
    await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'curl/8.5' });
    const response = await context.app.inject({
      method: 'GET',
      url: `/signet/v1/key-sets/${keySetId}/simulation?action=rotate`,
      headers: context.admin,
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    const libraryOf = (userAgent: string) =>
      body.consumers.find((consumer: { userAgent: string }) => consumer.userAgent === userAgent)?.library;
    assert.equal(libraryOf('jose/v6.0.10'), 'jose');
    assert.equal(libraryOf('Go-http-client/1.1'), 'go-oidc');
    assert.equal(libraryOf('curl/8.5'), null);
    assert.ok(body.verifiers.some((verdict: { library: string }) => verdict.library === 'go-oidc'));
  });

  test('an unknown key set answers 404 in the native envelope', async () => {
    const response = await context.app.inject({
      method: 'GET',
      url: '/signet/v1/key-sets/ks_ghost/readiness',
      headers: context.admin,
    });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error.code, 'ERR_KEY_SET_NOT_FOUND');
  });

  describe('the readiness gate', () => {
    async function gate(percent: number, maxWaitSeconds = 7 * 86_400) {
      await context.services.keys.updatePolicy(OPERATOR, 'default', keySetId, {
        readinessGatePercent: percent,
        readinessGateMaxWaitSeconds: maxWaitSeconds,
      });
    }

    test('a native rotate without force refuses while the gate is closed, naming the lagging consumers; force and emergency go ahead', async () => {
      const rotate = (body: Record<string, unknown>) =>
        context.app.inject({
          method: 'POST',
          url: `/signet/v1/key-sets/${keySetId}/rotate`,
          headers: context.admin,
          payload: body,
        });
      await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'keeps-up' });
      await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'lagging' });
      assert.deepEqual((await readiness()).gate, { open: true, reason: 'disabled', requiredPercent: 0 });
      await gate(100);
      assert.deepEqual((await readiness()).gate, { open: true, reason: 'ready', requiredPercent: 100 });
      context.advance(2 * 3600_000);
      let response = await rotate({});
      assert.equal(response.statusCode, 200, 'both hold the next key: the gate is open');
      await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'keeps-up' });
      context.advance(2 * 3600_000);
      assert.deepEqual(
        (await readiness()).gate,
        { open: false, reason: 'lagging', requiredPercent: 100 },
        'the readiness answer says a rotate would be refused',
      );
      response = await rotate({});
      assert.equal(response.statusCode, 409, response.body);
      const error = response.json().error;
      assert.equal(error.code, 'ERR_READINESS_GATE_CLOSED');
      assert.deepEqual(
        [error.details.readyCount, error.details.consumerCount, error.details.requiredPercent],
        [1, 2, 100],
      );
      assert.deepEqual(
        error.details.lagging.map((consumer: { userAgent: string }) => consumer.userAgent),
        ['lagging'],
      );
      response = await rotate({ force: true });
      assert.equal(response.statusCode, 200, response.body);
      response = await context.app.inject({
        method: 'POST',
        url: `/signet/v1/key-sets/${keySetId}/emergency-rotate`,
        headers: context.admin,
      });
      assert.equal(response.statusCode, 200, 'the gate never delays an emergency rotation');
    });

    test('AUTO rotation waits for the gate, then rotates once the maximum wait has passed and says why in the audit log', async () => {
      await gate(50, 86_400);
      await context.services.keys.updatePolicy(OPERATOR, 'default', keySetId, { rotationPeriodSeconds: 2 * 86_400 });
      await servedRequest(context, port, 'GET', '/.well-known/jwks.json', { 'user-agent': 'holder' });
      context.advance(2 * 3600_000);
      await context.services.keys.rotate(OPERATOR, 'default', keySetId, 'force');
      const active = () => context.registry.getKeySetView(keySetId)!.signer!.kid;
      const before = active();
      // "holder" never fetches the key the forced rotation published; the rotation is due 2 days later.
      context.advance(2 * DAY);
      await context.scheduler.runOnce();
      assert.equal(active(), before, 'held: 0 of 1 consumers hold the next key');
      context.advance(DAY);
      await context.scheduler.runOnce();
      assert.notEqual(active(), before, 'the maximum wait has passed');
      const events = await context.services.audit.listAuditEvents('default', { keySetId, action: 'key.activated' });
      const scheduled = events.items.find((event) => event.operation === 'schedule')!;
      assert.deepEqual((scheduled.details as { readinessGate: unknown }).readinessGate, {
        reason: 'maxWait',
        readyCount: 0,
        consumerCount: 1,
        requiredPercent: 50,
      });
    });
  });
});

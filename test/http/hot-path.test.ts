import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  ADMIN_TOKEN,
  createTestContext,
  defaultKeySetId,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { servedRequest } from '../helpers/raw-request.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const TOKEN_FORM = new URLSearchParams({
  grant_type: 'client_credentials',
  client_id: ADMIN_CLIENT_ID,
  client_secret: ADMIN_CLIENT_SECRET,
}).toString();

// Over a real socket, so the requests meet the fast paths in front of Fastify as in production.
describe('hot path', () => {
  let context: TestContext;
  let port: number;
  const token = () => servedRequest(context, port, 'POST', '/oauth/token', FORM, TOKEN_FORM);
  beforeEach(async () => {
    context = await createTestContext();
    await context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (context.app.server.address() as { port: number }).port;
  });
  // The hot-path test closes the store itself; closing twice is harmless.
  afterEach(() => context.close().catch(() => undefined));

  test('JWKS, discovery and token requests read no database: they keep working with the store closed', async () => {
    await context.store.close();
    const jwks = await servedRequest(context, port, 'GET', '/.well-known/jwks.json');
    assert.deepEqual([jwks.status, jwks.servedBy], [200, 'fast-jwks']);
    const discovery = await servedRequest(context, port, 'GET', '/.well-known/openid-configuration');
    assert.deepEqual([discovery.status, discovery.servedBy], [200, 'fastify']);
    const issued = await token();
    assert.deepEqual([issued.status, issued.servedBy], [200, 'fast-token']);
    const management = await servedRequest(context, port, 'GET', '/signet/v1/key-sets', {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    assert.ok(management.status >= 500, 'management calls do need the database');
    assert.ok(!management.body.includes('    at '));
  });

  test('no token is signed with a key whose certificate has expired', async () => {
    const signer = context.registry.getKeySetView(defaultKeySetId(context))!.signer!;
    context.clock.now = signer.certificateNotAfter;
    const refused = await token();
    assert.deepEqual([refused.status, refused.servedBy], [503, 'fast-token']);
    assert.equal(JSON.parse(refused.body).error, 'temporarily_unavailable');
    await context.scheduler.runOnce();
    const issued = await token();
    assert.deepEqual([issued.status, issued.servedBy], [200, 'fast-token'], 'the scheduler renewed the certificate');
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { compactVerify, createLocalJWKSet } from 'jose';
import { CUSTODIES } from '../../src/custody/key-custody.ts';
import { createMetrics } from '../../src/metrics/create-metrics.ts';
import { createRegistry } from '../../src/runtime/create-registry.ts';
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  createTestContext,
  defaultKeySetId,
  type TestContext,
} from '../helpers/create-test-context.ts';
import { rawRequest } from '../helpers/raw-request.ts';

const SIGN = '/signet/v1/authorization-servers/default/sign';
const FORM = 'application/x-www-form-urlencoded';
const ADMIN_BASIC = `Basic ${Buffer.from(
  `${ADMIN_CLIENT_ID}:${encodeURIComponent(ADMIN_CLIENT_SECRET).replace(/%20/g, '+')}`,
).toString('base64')}`;
const START = Date.UTC(2026, 0, 1, 10, 0, 30);

interface Signers {
  kid: string;
  signers: { credentialId: string; count: number; firstAt: string; lastAt: string }[];
}

// Accountability without a row per token (docs/spec.md §7), on SQLite: counts flushed as
// key.signatures events, summed per credential, across a restart on the same database.
for (const custody of CUSTODIES) {
  describe(`who signed with a key: the listing after an emergency rotation (SQLite, ${custody} custody)`, () => {
    let context: TestContext;
    let port: number;
    let idp: { id: string; authorization: string };

    async function listen(started: TestContext): Promise<number> {
      await started.app.listen({ port: 0, host: '127.0.0.1' });
      return (started.app.server.address() as { port: number }).port;
    }
    async function createSigner(name: string, scopes: string[]) {
      const created = await context.app.inject({
        method: 'POST',
        url: '/signet/v1/api-tokens',
        headers: context.admin,
        payload: { name, scopes },
      });
      assert.equal(created.statusCode, 201, created.body);
      const body = created.json();
      return { id: body.id as string, authorization: `Bearer ${body.token}` };
    }
    async function signApi(times: number): Promise<string> {
      let kid = '';
      for (let i = 0; i < times; i += 1) {
        const signed = await context.app.inject({
          method: 'POST',
          url: SIGN,
          headers: { ...idp, 'content-type': 'application/json' },
          payload: { claims: { sub: `user-${i}`, aud: 'rp' } },
        });
        assert.equal(signed.statusCode, 200, signed.body);
        kid = signed.json().kid;
        // Signed by the custody under test: the token verifies against the published keys.
        const jwks = (await context.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
        await compactVerify(signed.json().jwt, createLocalJWKSet(jwks));
      }
      return kid;
    }
    /** Half through the fast path (a socket), half through the Fastify route (inject). */
    async function issueClientTokens(times: number): Promise<void> {
      for (let i = 0; i < times; i += 1) {
        const headers = { authorization: ADMIN_BASIC, 'content-type': FORM };
        const body = 'grant_type=client_credentials&scope=keys%3Aread';
        const status =
          i % 2 === 0
            ? (await rawRequest(port, 'POST', '/oauth/token', headers, body)).status
            : (await context.app.inject({ method: 'POST', url: '/oauth/token', headers, payload: body })).statusCode;
        assert.equal(status, 200);
      }
    }
    async function signers(kid: string, headers: Record<string, string> = context.admin) {
      const response = await context.app.inject({
        method: 'GET',
        url: `/signet/v1/key-sets/${defaultKeySetId(context)}/keys/${kid}/signers`,
        headers,
      });
      return response;
    }
    async function listed(kid: string): Promise<Signers> {
      const response = await signers(kid);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    }

    before(async () => {
      context = await createTestContext({ startAt: START, custody });
      port = await listen(context);
      idp = await createSigner('my-idp', ['tokens:sign']);
    });
    after(() => context.close());

    let compromised = '';
    let successor = '';

    test('lists each credential that signed with the revoked key, its token count and its first and last minute', async () => {
      compromised = await signApi(3);
      await issueClientTokens(4);
      context.advance(2 * 60_000);
      await signApi(1);
      const rotated = await context.app.inject({
        method: 'POST',
        url: `/signet/v1/key-sets/${defaultKeySetId(context)}/emergency-rotate`,
        headers: context.admin,
      });
      assert.equal(rotated.statusCode, 200, rotated.body);
      successor = await signApi(2);
      assert.notEqual(successor, compromised);

      // Nothing is written per token: before the flush the audit log holds no count at all.
      assert.deepEqual((await listed(compromised)).signers, []);
      await context.ledger.flush();

      assert.deepEqual(await listed(compromised), {
        kid: compromised,
        signers: [
          { credentialId: idp.id, count: 4, firstAt: '2026-01-01T10:00:00Z', lastAt: '2026-01-01T10:02:00Z' },
          { credentialId: ADMIN_CLIENT_ID, count: 4, firstAt: '2026-01-01T10:00:00Z', lastAt: '2026-01-01T10:00:00Z' },
        ].sort((a, b) => a.credentialId.localeCompare(b.credentialId)),
      });
      assert.deepEqual((await listed(successor)).signers, [
        { credentialId: idp.id, count: 2, firstAt: '2026-01-01T10:02:00Z', lastAt: '2026-01-01T10:02:00Z' },
      ]);
    });

    test('the counts are summary audit events: one per kid, credential and minute, never one per token', async () => {
      const page = await context.app.inject({
        method: 'GET',
        url: `/signet/v1/audit-events?action=key.signatures&kid=${compromised}`,
        headers: context.admin,
      });
      const items = page.json().items as { kid: string; details: Record<string, unknown> }[];
      assert.equal(items.length, 3); // idp at 10:00 and 10:02, the client at 10:00
      const surfaces = items.map((item) => `${item.details.credentialId} ${item.details.surface}`).sort();
      assert.deepEqual(surfaces, [`${ADMIN_CLIENT_ID} token`, `${idp.id} native`, `${idp.id} native`].sort());
    });

    test('sums across a restart on the same database', async () => {
      await signApi(1); // counted but not flushed: the graceful close writes it
      const { dir, masterKeyText } = context;
      await context.close({ keepData: true });
      context = await createTestContext({ startAt: START + 5 * 60_000, custody, restartFrom: { dir, masterKeyText } });
      port = await listen(context);
      await signApi(2);
      await context.ledger.flush();
      assert.deepEqual((await listed(successor)).signers, [
        { credentialId: idp.id, count: 5, firstAt: '2026-01-01T10:02:00Z', lastAt: '2026-01-01T10:05:00Z' },
      ]);
      assert.equal((await listed(compromised)).signers.length, 2);
    });

    test('needs audit:read, and the key of the tenant', async () => {
      const reader = await createSigner('reader', ['keys:read']);
      const refused = await signers(compromised, { authorization: reader.authorization });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'ERR_FORBIDDEN');
      const unknown = await signers('no-such-kid');
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.code, 'ERR_KEY_NOT_FOUND');
    });

    test('Prometheus counts the signatures per credential', async () => {
      const metrics = await context.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(
        metrics.body,
        new RegExp(`signet_signatures_total\\{credential="${idp.id}",surface="native"\\} 2\\n`),
      );
    });
  });
}

test('the credential label of signet_signatures_total is bounded: further credentials count as other', async () => {
  const registry = createRegistry({ store: {} as never, sealer: {} as never, custodies: {} as never });
  const metrics = createMetrics({ registry, now: () => 0, credentialLabels: 2 });
  const at = 0;
  for (const credentialId of ['a', 'b', 'c', 'd', 'a'])
    metrics.signatureRecorded({ tenantId: 't', keySetId: 'ks', kid: 'k', credentialId, surface: 'native', at });
  const text = await metrics.render();
  assert.match(text, /signet_signatures_total\{credential="a",surface="native"\} 2\n/);
  assert.match(text, /signet_signatures_total\{credential="b",surface="native"\} 1\n/);
  assert.match(text, /signet_signatures_total\{credential="other",surface="native"\} 2\n/);
  assert.doesNotMatch(text, /credential="c"/);
});

test('a flush the database refuses writes nothing and keeps its counts for the next one', async () => {
  const context = await createTestContext({ startAt: START });
  try {
    const keySetId = defaultKeySetId(context);
    const kid = context.registry.getKeySetView(keySetId)!.signer!.kid;
    const entry = { tenantId: 'default', keySetId, kid, credentialId: 'cred-1', surface: 'native', at: START };
    for (let i = 0; i < 3; i += 1) context.ledger.record(entry);
    // Another connection holds the write lock past the store's busy timeout.
    const blocker = new DatabaseSync(join(context.dir, 'signet.db'));
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      await assert.rejects(context.ledger.flush(), { code: 'ERR_UNAVAILABLE' });
    } finally {
      blocker.exec('COMMIT');
      blocker.close();
    }
    const signers = () => context.services.audit.listSigners('default', kid, keySetId);
    assert.deepEqual(await signers(), []);
    context.ledger.record({ ...entry, at: START + 1000 });
    await context.ledger.flush();
    assert.deepEqual(
      (await signers()).map((signer) => [signer.credentialId, signer.count]),
      [['cred-1', 4]],
    );
  } finally {
    await context.close();
  }
});

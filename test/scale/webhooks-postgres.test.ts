import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';
import { pollUntil } from '../helpers/fresh-get.ts';
import { CLUSTER_API_TOKEN, startSignetCluster } from '../helpers/signet-cluster.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

type Cluster = Awaited<ReturnType<typeof startSignetCluster>>;

describe('webhooks from two instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let cluster: Cluster;
  let receiver: WebhookReceiver;
  let sql: pg.Client;

  before(async () => {
    database = await createTestDatabase();
    cluster = await startSignetCluster(database.url, 2, {
      SIGNET_WEBHOOK_ALLOW_HTTP: 'true',
      SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    });
    receiver = await startWebhookReceiver();
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await receiver?.close();
    await cluster?.stop();
    await database?.drop();
  });

  const api = async (instance: number, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cluster.instances[instance]!.url}/signet/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${CLUSTER_API_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  test('each event is delivered once, in commit order, whichever instance committed it', async () => {
    const created = await api(0, 'POST', '/webhooks', { url: receiver.url });
    assert.equal(created.status, 201);
    receiver.trust(String(created.json.secret));
    const keySetId = (((await api(1, 'GET', '/key-sets')).json.items as { id: string }[])[0] as { id: string }).id;
    const rotations = 6;
    for (let rotation = 0; rotation < rotations; rotation += 1) {
      // Alternate instances: both commit events and both run a delivery loop.
      const rotated = await api(rotation % 2, 'POST', `/key-sets/${keySetId}/rotate`, { force: true });
      assert.equal(rotated.status, 200);
    }
    const events = rotations * 3;
    await receiver.waitFor(events);
    // The receiver answers before the instance records the attempt: wait for the records.
    const settled = await pollUntil(async () => {
      const { rows } = await sql.query<{ n: number }>(
        "SELECT COUNT(*)::int AS n FROM webhook_deliveries WHERE status <> 'delivered'",
      );
      return rows[0]!.n === 0;
    }, 30_000);
    assert.ok(settled, 'every delivery recorded as delivered');
    const { rows } = await sql.query<{ seq: number; id: string; attempts: number }>(
      `SELECT e.seq, e.id, (SELECT COUNT(*)::int FROM webhook_attempts a WHERE a.delivery_id = d.id) AS attempts
       FROM webhook_deliveries d JOIN webhook_events e ON e.seq = d.event_seq ORDER BY e.seq`,
    );
    assert.equal(rows.length, events);
    assert.ok(
      rows.every((row) => row.attempts === 1),
      'one attempt per event',
    );
    assert.deepEqual(
      receiver.received.map((entry) => entry.event.id),
      rows.map((row) => row.id),
      'each event received once, in commit order',
    );
    assert.deepEqual(receiver.rejected, []);

    // The outbox metrics read the shared database; the attempt counters are each instance's own.
    let delivered = 0;
    for (const instance of cluster.instances) {
      const metrics = await (await fetch(`${instance.url}/metrics`)).text();
      assert.match(metrics, new RegExp(`^signet_webhook_events_written_total ${events}$`, 'm'));
      assert.match(metrics, /^signet_webhook_outbox_depth 0$/m);
      assert.match(metrics, /^signet_webhook_delivery_duration_seconds_count \d+$/m);
      delivered += Number(/^signet_webhook_deliveries_total\{outcome="delivered"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
    }
    assert.equal(delivered, events, 'the instances together delivered each event once');
  });
});

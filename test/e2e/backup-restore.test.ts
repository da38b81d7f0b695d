import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { generateMasterKeyText } from '../../src/crypto/master-key.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';
import { clientCredentialsToken, nativeApi, type BootstrapCredentials } from '../helpers/signet-http.ts';
import { freePort, runSignetCli, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

/**
 * `signet backup` and `signet restore` on the real process: a deployment moves SQLite ->
 * PostgreSQL -> SQLite, each backup taken while its server runs, and every copy serves the same
 * JWKS bytes and ETag, verifies the tokens signed before, keeps the audit log and goes on rotating.
 */
describe('signet backup and restore move a deployment between SQLite and PostgreSQL', () => {
  const masterKey = generateMasterKeyText();
  const issuer = 'https://signet.test';
  const env = { SIGNET_MASTER_KEY: masterKey, SIGNET_BASE_URL: issuer };
  const dirs: string[] = [];
  const databases: TestDatabase[] = [];
  const running: SpawnedSignet[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-backup-'));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    await Promise.all(running.map((signet) => signet.stop()));
    for (const db of databases) await db.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const serve = async (dataDir: string, args: string[] = []): Promise<SpawnedSignet> => {
    const signet = await spawnSignet({ dataDir, port: await freePort(), args, env });
    running.push(signet);
    return signet;
  };
  const api = nativeApi;
  const getToken = clientCredentialsToken;
  const jwks = async (signet: SpawnedSignet) => {
    const response = await fetch(`${signet.url}/.well-known/jwks.json`);
    return { bytes: await response.text(), etag: response.headers.get('etag') };
  };
  const audit = async (signet: SpawnedSignet, credentials: BootstrapCredentials) =>
    (await api(signet, credentials, 'GET', '/audit-events?limit=1000')).body.items as { id: number }[];
  const state = async (signet: SpawnedSignet, credentials: BootstrapCredentials, keySetId: string) => ({
    jwks: await jwks(signet),
    audit: await audit(signet, credentials),
    keys: (await api(signet, credentials, 'GET', `/key-sets/${keySetId}/keys`)).body,
    plan: (await api(signet, credentials, 'GET', `/key-sets/${keySetId}/plan`)).body,
  });
  const cli = async (args: string[]) => {
    const result = await runSignetCli(args, env);
    assert.equal(result.code, 0, result.stderr);
    return result;
  };

  test('SQLite -> PostgreSQL -> SQLite keeps JWKS bytes, ETag, tokens, audit log and the schedule', async () => {
    const sqliteDir = tempDir();
    const first = await serve(sqliteDir);
    const credentials: BootstrapCredentials = JSON.parse(
      readFileSync(join(sqliteDir, 'bootstrap-credentials.json'), 'utf8'),
    );
    const keySetId = (await api(first, credentials, 'GET', '/key-sets')).body.items[0].id as string;
    const before = await getToken(first, credentials);
    // A webhook (its sealed secret and its outbox) goes along; the receiver never answers here.
    const webhook = await api(first, credentials, 'POST', '/webhooks', { url: 'https://hooks.invalid/signet' });
    assert.equal(webhook.status, 201);
    const webhookId = webhook.body.webhook.id as string;
    const deliveryIds = async (signet: Awaited<ReturnType<typeof serve>>) =>
      ((await api(signet, credentials, 'GET', `/webhooks/${webhookId}/deliveries`)).body.items as { id: string }[])
        .map((delivery) => delivery.id)
        .sort();
    assert.equal((await api(first, credentials, 'POST', `/key-sets/${keySetId}/rotate`, { force: true })).status, 200);
    const originalDeliveries = await deliveryIds(first);
    assert.equal(originalDeliveries.length, 3);
    const afterRotation = await getToken(first, credentials);
    const tokens = [before, afterRotation];
    const original = await state(first, credentials, keySetId);
    assert.ok(original.audit.length > 0);

    const sqliteBackup = join(tempDir(), 'from-sqlite.jsonl.gz');
    await cli(['backup', sqliteBackup, '--data-dir', sqliteDir]);
    await first.stop();

    const db = await createTestDatabase();
    databases.push(db);
    const pgDir = tempDir();
    await cli(['restore', sqliteBackup, '--database-url', db.url, '--data-dir', pgDir]);
    const onPostgres = await serve(pgDir, ['--database-url', db.url]);
    assert.deepEqual(await state(onPostgres, credentials, keySetId), original);
    assert.deepEqual(await deliveryIds(onPostgres), originalDeliveries);

    const pgBackup = join(tempDir(), 'from-postgres.jsonl');
    await cli(['backup', pgBackup, '--database-url', db.url]);
    // The restored identity sequences go on past the restored audit ids and outbox events, so a new event commits.
    assert.equal(
      (await api(onPostgres, credentials, 'POST', `/key-sets/${keySetId}/rotate`, { force: true })).status,
      200,
    );
    assert.equal((await deliveryIds(onPostgres)).length, 6);
    await onPostgres.stop();

    const backDir = tempDir();
    await cli(['restore', pgBackup, '--data-dir', backDir]);
    const back = await serve(backDir);
    assert.deepEqual(await state(back, credentials, keySetId), original);
    assert.equal((await deliveryIds(back)).length, 3, 'the backup was taken before the rotation on PostgreSQL');

    const verifier = createLocalJWKSet(JSON.parse((await jwks(back)).bytes));
    for (const token of tokens) {
      const { payload } = await jwtVerify(token, verifier, { issuer, audience: 'api://default' });
      assert.equal(payload.iss, issuer);
    }

    // Rotation goes on, and the next audit event takes the next id rather than reusing one.
    assert.equal((await api(back, credentials, 'POST', `/key-sets/${keySetId}/rotate`, { force: true })).status, 200);
    const events = await audit(back, credentials);
    assert.ok(events[0]!.id > original.audit[0]!.id);
    assert.notEqual((await jwks(back)).etag, original.jwks.etag);
  });
});

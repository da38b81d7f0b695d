import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { generateMasterKeyText } from '../../src/crypto/master-key.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';
import { clientCredentialsToken, nativeApi, type BootstrapCredentials } from '../helpers/signet-http.ts';
import { freePort, runSignetCli, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

/**
 * The real `signet serve --database-url` on an embedded PostgreSQL: the same first session as on
 * SQLite, then a restart, then two instances starting at once on an empty database.
 */
describe('signet serve on PostgreSQL', () => {
  const masterKey = generateMasterKeyText();
  // Instances behind one load balancer share the public base URL, hence the issuer; a restarted
  // instance keeps it whatever port it gets.
  const issuer = 'https://signet.test';
  const dirs: string[] = [];
  const databases: TestDatabase[] = [];
  const running: SpawnedSignet[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-e2e-pg-'));
    dirs.push(dir);
    return dir;
  };
  const database = async (): Promise<TestDatabase> => {
    const created = await createTestDatabase();
    databases.push(created);
    return created;
  };
  const serve = async (dataDir: string, url: string): Promise<SpawnedSignet> => {
    const signet = await spawnSignet({
      dataDir,
      port: await freePort(),
      args: ['--database-url', url],
      env: { SIGNET_MASTER_KEY: masterKey, SIGNET_BASE_URL: issuer },
    });
    running.push(signet);
    return signet;
  };
  after(async () => {
    await Promise.all(running.map((signet) => signet.stop()));
    for (const db of databases) await db.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const api = nativeApi;
  const getToken = clientCredentialsToken;
  // A fresh verifier per call, as a relying party that has just fetched the JWKS would be.
  const verify = (signet: SpawnedSignet, token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(`${signet.url}/oauth2/default/v1/keys`)), {
      issuer,
      audience: 'api://default',
    });
  const jwksKids = async (signet: SpawnedSignet): Promise<string[]> =>
    ((await (await fetch(`${signet.url}/oauth2/default/v1/keys`)).json()) as { keys: { kid: string }[] }).keys
      .map((k) => k.kid)
      .sort();
  const readBootstrapCredentials = (dataDir: string): BootstrapCredentials =>
    JSON.parse(readFileSync(join(dataDir, 'bootstrap-credentials.json'), 'utf8'));

  test('refuses to start without a master key given to every instance, and generates none', async () => {
    const db = await database();
    const dataDir = tempDir();
    const result = await runSignetCli(
      ['serve', '--database-url', db.url, '--data-dir', dataDir, '--port', String(await freePort())],
      { SIGNET_MASTER_KEY: '' },
    );
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /same master key.*SIGNET_MASTER_KEY/);
    assert.equal(existsSync(join(dataDir, 'master.key')), false);
  });

  test('an unreachable database stops the start-up with a clear message', async () => {
    const closedPort = await freePort();
    const result = await runSignetCli(
      [
        'serve',
        '--database-url',
        `postgres://signet:secret-password@127.0.0.1:${closedPort}/signet`,
        '--data-dir',
        tempDir(),
        '--port',
        String(await freePort()),
      ],
      { SIGNET_MASTER_KEY: masterKey },
    );
    assert.equal(result.code, 6, result.stderr);
    assert.match(result.stderr, /cannot reach the database/);
    assert.ok(!result.stderr.includes('secret-password'), 'the password in the URL is not echoed');
  });

  test('bootstraps, issues a token that verifies against its JWKS, rotates, and keeps its keys across a restart', async () => {
    const db = await database();
    const dataDir = tempDir();
    let signet = await serve(dataDir, db.url);
    assert.match(signet.stderr(), /credentials written to .*bootstrap-credentials\.json/);
    const credentials = readBootstrapCredentials(dataDir);
    assert.equal((await jwksKids(signet)).length, 2, 'one active and one next key');

    const firstToken = await getToken(signet, credentials);
    await verify(signet, firstToken);

    const keySetId = (await api(signet, credentials, 'GET', '/key-sets')).body.items[0].id;
    const before = (await api(signet, credentials, 'GET', `/key-sets/${keySetId}`)).body;
    const rotated = await api(signet, credentials, 'POST', `/key-sets/${keySetId}/rotate`, { force: true });
    assert.equal(rotated.status, 200);
    assert.equal(rotated.body.keySet.activeKid, before.nextKid);
    const secondToken = await getToken(signet, credentials);
    assert.equal(decodeProtectedHeader(secondToken).kid, before.nextKid);
    await verify(signet, firstToken);
    await verify(signet, secondToken);

    const keys = async () =>
      (await api(signet, credentials, 'GET', `/key-sets/${keySetId}/keys`)).body.items
        .map((k: { kid: string; state: string }) => `${k.kid}:${k.state}`)
        .sort();
    const keysBefore = await keys();
    const jwksBefore = await jwksKids(signet);
    assert.equal(await signet.stop(), 0, 'SIGTERM shuts down cleanly');
    signet = await serve(dataDir, db.url);
    assert.match(signet.stderr(), /written when the database was created/);
    assert.deepEqual(await keys(), keysBefore);
    assert.deepEqual(await jwksKids(signet), jwksBefore);
    await verify(signet, firstToken);
    await verify(signet, await getToken(signet, credentials));

    // An instance given another master key cannot unseal the shared keys, and says so.
    const other = generateMasterKeyText();
    const mismatch = await runSignetCli(
      ['serve', '--database-url', db.url, '--data-dir', tempDir(), '--port', String(await freePort())],
      { SIGNET_MASTER_KEY: other },
    );
    assert.notEqual(mismatch.code, 0);
    assert.match(mismatch.stderr, /master key/);
    assert.ok(!mismatch.stderr.includes(other));
  });

  test('two instances started at once on an empty database bootstrap it exactly once and serve the same keys', async () => {
    const db = await database();
    const dataDirs = [tempDir(), tempDir()];
    const instances = await Promise.all(dataDirs.map((dataDir) => serve(dataDir, db.url)));
    const creators = instances.flatMap((signet, index) =>
      /credentials written to/.test(signet.stderr()) ? [index] : [],
    );
    assert.equal(creators.length, 1, instances.map((signet) => signet.stderr()).join('\n---\n'));
    const [creator] = creators as [number];
    const other = instances[1 - creator]!;
    assert.match(other.stderr(), /written when the database was created/);
    assert.equal(existsSync(join(dataDirs[1 - creator]!, 'bootstrap-credentials.json')), false);

    const credentials = readBootstrapCredentials(dataDirs[creator]!);
    for (const signet of instances) {
      assert.equal((await api(signet, credentials, 'GET', '/key-sets')).body.items.length, 1);
      assert.equal((await api(signet, credentials, 'GET', '/clients')).body.items.length, 1);
      assert.equal((await api(signet, credentials, 'GET', '/api-tokens')).body.items.length, 1);
    }
    assert.deepEqual(await jwksKids(other), await jwksKids(instances[creator]!));
    await verify(other, await getToken(instances[creator]!, credentials));
    await verify(instances[creator]!, await getToken(other, credentials));
  });
});

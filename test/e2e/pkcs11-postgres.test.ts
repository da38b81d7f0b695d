import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { generateMasterKeyText } from '../../src/crypto/master-key.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server.ts';
import { createSoftHsmToken } from '../helpers/softhsm-token.ts';
import { freePort, runSignetCli, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

/**
 * Two `signet serve` instances on one PostgreSQL database and one PKCS#11 token (docs/spec.md §7):
 * a key generated on the token by one instance signs on the other, which finds it by its object id.
 */
const token = createSoftHsmToken({ label: 'signet-shared' });
const masterKey = generateMasterKeyText();
const dirs: string[] = [];
const running: SpawnedSignet[] = [];
let database: TestDatabase | undefined;
after(async () => {
  await Promise.all(running.map((signet) => signet.stop()));
  await database?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  token.remove();
});

async function serve(url: string): Promise<SpawnedSignet> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-e2e-pkcs11-'));
  dirs.push(dataDir);
  const signet = await spawnSignet({
    dataDir,
    port: await freePort(),
    args: ['--database-url', url],
    env: {
      ...token.env,
      SIGNET_MASTER_KEY: masterKey,
      SIGNET_BASE_URL: 'https://signet.test',
      SIGNET_DEFAULT_CUSTODY: 'pkcs11',
    },
  });
  running.push(signet);
  return signet;
}

test('two instances share the token: one rotates, the other signs with the key it generated', async () => {
  database = await createTestDatabase();
  const first = await serve(database.url);
  const second = await serve(database.url);
  const credentials = JSON.parse(readFileSync(join(dirs[0]!, 'bootstrap-credentials.json'), 'utf8')) as {
    apiToken: string;
    clientId: string;
    clientSecret: string;
  };
  const native = (signet: SpawnedSignet, method: string, path: string, body?: unknown) =>
    fetch(`${signet.url}/signet/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${credentials.apiToken}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const keySets = (await (await native(first, 'GET', '/key-sets')).json()) as {
    items: Array<{ id: string; custody: string; activeKid: string }>;
  };
  const [keySet] = keySets.items;
  assert.equal(keySet?.custody, 'pkcs11');

  const rotated = await native(first, 'POST', `/key-sets/${keySet!.id}/rotate`, { force: true });
  const rotatedBody = await rotated.text();
  assert.equal(rotated.status, 200, rotatedBody);
  const newActive = (JSON.parse(rotatedBody) as { keySet: { activeKid: string } }).keySet.activeKid;

  // The second instance hears of the rotation within a second (LISTEN/NOTIFY) and signs on the token.
  let kid = '';
  let issued = '';
  for (let attempt = 0; attempt < 200 && kid !== newActive; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25));
    const response = await fetch(`${second.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 200);
    issued = ((await response.json()) as { access_token: string }).access_token;
    kid = JSON.parse(Buffer.from(issued.split('.')[0]!, 'base64url').toString()).kid;
  }
  assert.equal(kid, newActive, 'the second instance signs with the key the first generated');
  const jwks = createLocalJWKSet((await (await fetch(`${first.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  await jwtVerify(issued, jwks, { issuer: 'https://signet.test' });

  const status = await runSignetCli(['master-key', 'status', '--database-url', database.url], {
    SIGNET_MASTER_KEY: masterKey,
  });
  assert.equal(status.code, 0, status.stderr);
});

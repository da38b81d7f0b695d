import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { createSealer } from '../../src/crypto/create-sealer.ts';
import { generateMasterKeyText, parseMasterKeys } from '../../src/crypto/master-key.ts';
import { createMasterKeyService } from '../../src/services/create-master-key-service.ts';
import { createSqliteStore } from '../../src/storage/sqlite/create-sqlite-store.ts';
import { freePort, runSignetCli, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';

/**
 * Master-key rotation A -> B on a live server (docs/spec.md §7): keys sealed under A, the server
 * restarted with "B,A", `signet master-key rotate` killed with SIGKILL in the middle while tokens
 * are issued, run again, then the server started with B alone: every key unseals, every token verifies.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'signet-master-key-'));
const A = generateMasterKeyText();
const B = generateMasterKeyText();
const KEY_SETS = 30;
let signet: SpawnedSignet | null = null;
after(async () => {
  await signet?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const credentials = () =>
  JSON.parse(readFileSync(join(dataDir, 'bootstrap-credentials.json'), 'utf8')) as {
    apiToken: string;
    clientId: string;
    clientSecret: string;
  };

async function token(url: string): Promise<string> {
  const { clientId, clientSecret } = credentials();
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function status(env: Record<string, string>): Promise<Record<string, number>> {
  const run = await runSignetCli(['master-key', 'status', '--data-dir', dataDir], env);
  assert.equal(run.code, 0, run.stderr);
  return Object.fromEntries(
    [...run.stdout.matchAll(/master key (\S+)(?: \(current\))?: (\d+) signing key/g)].map((m) => [m[1], Number(m[2])]),
  );
}

test('master-key rotation survives SIGKILL, finishes on rerun, and the old key can then be dropped', async () => {
  const [idA, idB] = [parseMasterKeys(A)[0]!.id, parseMasterKeys(B)[0]!.id];
  signet = await spawnSignet({ dataDir, port: await freePort(), env: { SIGNET_MASTER_KEY: A } });
  const { apiToken } = credentials();
  for (let i = 0; i < KEY_SETS; i += 1) {
    const response = await fetch(`${signet.url}/signet/v1/authorization-servers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `as${i}`, audiences: [`api://as${i}`], alg: 'ES256' }),
    });
    assert.equal(response.status, 201);
  }
  const tokens = [await token(signet.url)];
  await signet.stop();
  const total = 2 * (KEY_SETS + 1);
  assert.deepEqual(await status({ SIGNET_MASTER_KEY: A }), { [idA]: total });

  // The operator's first step: every instance gets B first, A still unseals.
  signet = await spawnSignet({ dataDir, port: await freePort(), env: { SIGNET_MASTER_KEY: `${B},${A}` } });
  const issuing = (async () => {
    for (let i = 0; i < 20; i += 1) tokens.push(await token(signet!.url));
  })();
  const rotate = spawn(
    process.execPath,
    [join(ROOT, 'src', 'main.ts'), 'master-key', 'rotate', '--data-dir', dataDir],
    {
      cwd: ROOT,
      env: { ...process.env, SIGNET_MASTER_KEY: `${B},${A}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Killed as soon as the first key is re-sealed: a crash in the middle of the run.
  await new Promise<void>((resolve) => rotate.stdout.once('data', () => resolve()));
  rotate.kill('SIGKILL');
  await new Promise((resolve) => rotate.once('exit', resolve));
  const midway = await status({ SIGNET_MASTER_KEY: `${B},${A}` });
  assert.ok((midway[idB] ?? 0) > 0, 'the killed run re-sealed some keys');
  assert.ok((midway[idA] ?? 0) > 0, 'and left others under A');
  assert.equal((midway[idA] ?? 0) + (midway[idB] ?? 0), total, 'every key is under A or B, none lost');

  const rerun = await runSignetCli(['master-key', 'rotate', '--data-dir', dataDir], { SIGNET_MASTER_KEY: `${B},${A}` });
  assert.equal(rerun.code, 0, rerun.stderr);
  await issuing;
  assert.deepEqual(await status({ SIGNET_MASTER_KEY: `${B},${A}` }), { [idB]: total });
  await signet.stop();

  // B alone: the server starts (it refuses a keyring that cannot unseal the database), and signs.
  signet = await spawnSignet({ dataDir, port: await freePort(), env: { SIGNET_MASTER_KEY: B } });
  tokens.push(await token(signet.url));
  const jwks = createLocalJWKSet((await (await fetch(`${signet.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  for (const issued of tokens) await jwtVerify(issued, jwks);
  await signet.stop();
  signet = null;

  // Every sealed key unseals under B alone.
  const store = createSqliteStore({ path: join(dataDir, 'signet.db') });
  try {
    await createMasterKeyService({ store, sealer: createSealer(parseMasterKeys(B)), now: Date.now }).assertUnsealsAll();
  } finally {
    await store.close();
  }

  // A alone no longer unseals the database: start-up refuses, naming the variable, not the key.
  const refused = await runSignetCli(['serve', '--data-dir', dataDir, '--port', String(await freePort())], {
    SIGNET_MASTER_KEY: A,
  });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /SIGNET_MASTER_KEY/);
  assert.ok(!refused.stderr.includes(A) && !refused.stderr.includes(B), 'no master key is echoed');
});

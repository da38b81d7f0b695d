import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort, runSignetCli, spawnSignet } from '../helpers/spawn-signet.ts';

const MASTER_KEY = 'q5bN3C3bJ2c0nKq9mJb6E8o3u7yWcP1rQx4sTz0aLkM';

describe('signet serve configuration', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-e2e-config-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('SIGNET_BOOTSTRAP_* give deterministic credentials and SIGNET_MASTER_KEY avoids a generated key file', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const signet = await spawnSignet({
      dataDir,
      port,
      env: {
        SIGNET_MASTER_KEY: MASTER_KEY,
        SIGNET_BOOTSTRAP_CLIENT_ID: 'ci-admin',
        SIGNET_BOOTSTRAP_CLIENT_SECRET: 'ci-secret-0123456789',
        SIGNET_BOOTSTRAP_API_TOKEN: 'sgt_ci-token-0123456789',
      },
    });
    try {
      assert.equal(existsSync(join(dataDir, 'master.key')), false);
      assert.doesNotMatch(signet.stdout(), /generated a master key/);
      const token = await fetch(`${signet.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=ci-admin&client_secret=ci-secret-0123456789',
      });
      assert.equal(token.status, 200);
      const keySets = await fetch(`${signet.url}/signet/v1/key-sets`, {
        headers: { authorization: 'Bearer sgt_ci-token-0123456789' },
      });
      assert.equal(keySets.status, 200);
      assert.ok(!signet.stdout().includes('ci-secret-0123456789'), 'the secret is not logged');
      assert.ok(!signet.stdout().includes(MASTER_KEY), 'the master key is not logged');
    } finally {
      assert.equal(await signet.stop(), 0);
    }

    // The sealed keys need the same master key: another one cannot unseal them, and says so without echoing it.
    const wrongPort = await freePort();
    const other = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const failed = await spawnSignet({ dataDir, port: wrongPort, env: { SIGNET_MASTER_KEY: other } }).then(
      () => assert.fail('started with the wrong master key'),
      (error: Error) => error.message,
    );
    assert.match(failed, /master key/);
    assert.ok(!failed.includes(other));
  });

  test('a malformed master key or flag is refused with a clear message and a usage exit code', async () => {
    const dataDir = tempDir();
    const badKey = await runSignetCli(['serve', '--data-dir', dataDir, '--port', String(await freePort())], {
      SIGNET_MASTER_KEY: 'too-short-secret',
    });
    assert.equal(badKey.code, 2, badKey.stderr);
    assert.match(badKey.stderr, /master key|SIGNET_MASTER_KEY/i);
    assert.ok(!badKey.stderr.includes('too-short-secret'));
    const badFlag = await runSignetCli(['serve', '--data-dir', dataDir, '--port', 'eighty']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /port/);
    const keyFile = join(dataDir, 'key.txt');
    writeFileSync(keyFile, `${MASTER_KEY}\n`);
    assert.equal(readFileSync(keyFile, 'utf8').trim(), MASTER_KEY);
    const missing = await runSignetCli(['serve', '--data-dir', dataDir], {
      SIGNET_MASTER_KEY_FILE: join(dataDir, 'nope.txt'),
    });
    assert.equal(missing.code, 2);
  });
});

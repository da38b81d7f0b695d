import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freshGet, pollUntil } from '../helpers/fresh-get.ts';
import { freePort, spawnSignet } from '../helpers/spawn-signet.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'signet-workers-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Process ids whose parent is `pid` (Linux /proc), i.e. the cluster workers. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

test('signet serve --workers 2 on SQLite: a rotation through one worker is served by every worker, a killed worker is replaced, SIGTERM stops all and exits 0', async () => {
  const port = await freePort();
  const signet = await spawnSignet({ dataDir, port, env: { SIGNET_WORKERS: '2', SIGNET_LOG_LEVEL: 'warn' } });
  try {
    assert.match(signet.stderr(), /\(2 workers\)/);
    const workers = childrenOf(signet.process.pid!);
    assert.equal(workers.length, 2, 'two worker processes');
    const { apiToken } = JSON.parse(readFileSync(join(dataDir, 'bootstrap-credentials.json'), 'utf8'));
    const auth = { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' };
    const jwksUrl = `${signet.url}/.well-known/jwks.json`;
    const kids = (body: string) => (JSON.parse(body).keys as { kid: string }[]).map((key) => key.kid).sort();

    const listed = (await (await fetch(`${signet.url}/signet/v1/key-sets`, { headers: auth })).json()) as {
      items: { id: string }[];
    };
    const keySetId = listed.items[0]!.id;
    // Several rotations, each through whichever worker the connection lands on.
    let expected: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const rotated = await fetch(`${signet.url}/signet/v1/key-sets/${keySetId}/rotate`, {
        method: 'POST',
        headers: auth,
        body: '{"force":true}',
      });
      assert.equal(rotated.status, 200);
      expected = ((await rotated.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid).sort();
    }
    // Fresh connections are dealt round-robin between the workers: every one serves the new set.
    const served = await pollUntil(async () => {
      const bodies = await Promise.all(Array.from({ length: 8 }, () => freshGet(jwksUrl)));
      return bodies.every(
        (response) => response.status === 200 && JSON.stringify(kids(response.body)) === JSON.stringify(expected),
      );
    }, 10_000);
    assert.ok(served, 'every worker serves the keys of the last rotation');

    process.kill(workers[0]!, 'SIGKILL');
    assert.ok(
      await pollUntil(async () => {
        const now = childrenOf(signet.process.pid!);
        return now.length === 2 && !now.includes(workers[0]!);
      }, 20_000),
      'the primary replaces the killed worker',
    );
    const afterRestart = await Promise.all(Array.from({ length: 6 }, () => freshGet(jwksUrl)));
    for (const response of afterRestart)
      assert.deepEqual(kids(response.body), expected, 'the replacement loads the current keys');
  } finally {
    assert.equal(await signet.stop(), 0, 'SIGTERM to the primary drains the workers and exits 0');
  }
  assert.deepEqual(childrenOf(signet.process.pid!), []);
});

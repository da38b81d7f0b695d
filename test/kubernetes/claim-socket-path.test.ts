import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { claimSocketPath } from '../../src/kubernetes/claim-socket-path.ts';

describe('claimSocketPath: a stale socket is replaced, a live one and any other file refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-claim-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing path is free', async () => {
    await claimSocketPath(join(dir, 'missing.sock'));
  });

  test('a socket nobody listens on is removed', async () => {
    const path = join(dir, 'stale.sock');
    execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path]);
    await claimSocketPath(path);
    assert.equal(existsSync(path), false);
  });

  test('a socket a live process answers on is refused and left alone', async () => {
    const path = join(dir, 'live.sock');
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await assert.rejects(claimSocketPath(path), { code: 'ERR_ALREADY_EXISTS' });
      assert.equal(existsSync(path), true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('a regular file is never deleted', async () => {
    const path = join(dir, 'not-a-socket');
    writeFileSync(path, 'keep me');
    await assert.rejects(claimSocketPath(path), { code: 'ERR_ALREADY_EXISTS' });
    assert.equal(readFileSync(path, 'utf8'), 'keep me');
  });
});

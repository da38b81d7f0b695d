#!/usr/bin/env node
// The `signet` command. Signet runs on Node 24 (node:sqlite, TypeScript type stripping); when the
// node on PATH is older, re-run this command with the Node 24 that the `node` package installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  await import(join(root, 'src', 'main.ts'));
} else {
  const node24 = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node24)) {
    process.stderr.write(`signet needs Node.js 24 or later (found ${process.version}); run npm install first\n`);
    process.exit(1);
  }
  const child = spawn(node24, [join(root, 'src', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

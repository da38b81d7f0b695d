import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/start-signet.ts';

/** What the Signet in this checkout can do, read from `signet serve --help` and the repository. */
export interface ServeCapabilities {
  workers: boolean;
  /** The embedded PostgreSQL test helper, when this build has PostgreSQL storage. */
  postgresHelper: string | null;
}

/** Detects `--workers` and PostgreSQL support without starting a server. */
export function detectServeCapabilities(): ServeCapabilities {
  const help = spawnSync(process.execPath, [join(ROOT, 'src', 'main.ts'), 'serve', '--help'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const helper = join(ROOT, 'test', 'helpers', 'postgres-server.ts');
  return { workers: help.stdout.includes('--workers'), postgresHelper: existsSync(helper) ? helper : null };
}

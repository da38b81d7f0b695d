import {
  startPostgres,
  TEST_POSTGRES_THROWAWAY_ENV,
  TEST_POSTGRES_URL_ENV,
  type PostgresServer,
} from './postgres-server.ts';

/**
 * `node --test --test-global-setup` hooks: one PostgreSQL server for the whole run, whose URL the
 * test processes inherit, so each test pays for a CREATE DATABASE instead of a server start.
 */
let server: PostgresServer | undefined;

/** Starts the shared server unless SIGNET_TEST_POSTGRES_URL already names one. */
export async function globalSetup(): Promise<void> {
  if (process.env[TEST_POSTGRES_URL_ENV]) return;
  server = await startPostgres();
  process.env[TEST_POSTGRES_URL_ENV] = server.url;
  process.env[TEST_POSTGRES_THROWAWAY_ENV] = '1';
}

/** Stops the shared server and deletes its data. */
export async function globalTeardown(): Promise<void> {
  await server?.stop();
}

import pg from 'pg';
import { NAMED_LOCK_NAMESPACE } from './advisory-locks.ts';
import { mapPostgresError } from './map-postgres-error.ts';

/**
 * Runs `fn` holding the session advisory lock `name`, taken on a connection of its own so `fn` can
 * run transactions meanwhile; the server releases the lock if this process dies half way.
 */
export async function runExclusively<T>(
  clientConfig: pg.ClientConfig,
  name: string,
  fn: () => Promise<T>,
  onError: (error: unknown) => void,
): Promise<T> {
  const client = new pg.Client(clientConfig);
  client.on('error', onError);
  try {
    await client.connect();
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [NAMED_LOCK_NAMESPACE, name]);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw mapPostgresError(error);
  }
  try {
    return await fn();
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1, hashtext($2))', [NAMED_LOCK_NAMESPACE, name])
      .catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

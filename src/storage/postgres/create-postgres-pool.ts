import pg from 'pg';
import { SignetError } from '../../errors.ts';
import { DATABASE_BUSY, isConnectionFailure, mapPostgresError } from './map-postgres-error.ts';
import { ROW_TYPES } from './row-types.ts';

/** The store's connections: one per transaction or read. */
export interface PostgresPool {
  /** A pooled client on which `begin` ran; a connection found dead at `begin` is replaced once. */
  checkout(begin: string): Promise<pg.PoolClient>;
  /** Returns `client`, or closes it when `destroy` (its connection is broken or its state unknown). */
  release(client: pg.PoolClient, destroy: boolean): void;
  end(): Promise<void>;
}

/**
 * Creates the pool. Its failures are SignetErrors: ERR_UNAVAILABLE when the database cannot be
 * reached or, with its own message, when every connection stayed busy past the connect timeout.
 */
export function createPostgresPool(
  clientConfig: pg.ClientConfig,
  poolSize: number,
  onError: (error: unknown) => void,
): PostgresPool {
  // Idle connections do not keep the process alive (a start-up that failed exits at once; a
  // running server has its listening socket for that).
  const pool = new pg.Pool({ ...clientConfig, max: poolSize, types: ROW_TYPES, allowExitOnIdle: true });
  // An idle connection the server drops must not crash the process; the pool replaces it.
  pool.on('error', onError);

  function release(client: pg.PoolClient, destroy: boolean): void {
    client.removeListener('error', onError);
    client.release(destroy);
  }

  return {
    async checkout(begin) {
      for (let attempt = 1; ; attempt += 1) {
        let client: pg.PoolClient;
        // pg-pool reports a wait for a free connection that timed out as it reports a connect timeout.
        const saturated = pool.totalCount >= poolSize && pool.idleCount === 0;
        try {
          client = await pool.connect();
        } catch (error) {
          if (saturated && isConnectionFailure(error)) throw new SignetError('ERR_UNAVAILABLE', DATABASE_BUSY);
          throw mapPostgresError(error);
        }
        // A checked-out client has no listener of its own; a connection lost mid-transaction fails
        // the pending query instead of crashing the process.
        client.on('error', onError);
        try {
          await client.query(begin);
          return client;
        } catch (error) {
          release(client, true);
          if (attempt === 1 && isConnectionFailure(error)) continue;
          throw mapPostgresError(error);
        }
      }
    },
    release,
    end: () => pool.end(),
  };
}

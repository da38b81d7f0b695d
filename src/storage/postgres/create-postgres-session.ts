import type { PoolClient } from 'pg';
import { createSerialQueue } from '../create-serial-queue.ts';
import { mapPostgresError } from './map-postgres-error.ts';

/** The statements of one `transaction` or `read` call; unusable once that call has ended. */
export interface PostgresSession {
  get<R>(sql: string, params?: readonly unknown[]): Promise<R | undefined>;
  all<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Returns how many rows the statement changed and the rows it returned (RETURNING). */
  run<R = unknown>(sql: string, params?: readonly unknown[]): Promise<{ changes: number; rows: R[] }>;
  /**
   * Runs `fn` under a savepoint, so a write of several statements is all or nothing, and a refused
   * statement does not abort the transaction (PostgreSQL would refuse every later statement), when
   * the caller catches its error and carries on.
   */
  atomically<T>(fn: () => Promise<T>): Promise<T>;
}

/** Creates the session of one `transaction` or `read` call over its pooled client. */
export function createPostgresSession(client: PoolClient, isOpen: () => boolean): PostgresSession {
  // Two writes of one transaction started together must not interleave their savepoints.
  const writes = createSerialQueue();

  async function query<R>(
    sql: string,
    params: readonly unknown[] | undefined,
  ): Promise<{ rowCount: number | null; rows: R[] }> {
    // A StoreTx kept past its callback would otherwise write into whichever transaction runs next.
    if (!isOpen()) throw new Error('store transaction already finished');
    try {
      return await client.query<R & object>(sql, params as unknown[] | undefined);
    } catch (error) {
      throw mapPostgresError(error);
    }
  }

  return {
    async get<R>(sql: string, params?: readonly unknown[]) {
      return (await query<R>(sql, params)).rows[0];
    },
    async all<R>(sql: string, params?: readonly unknown[]) {
      return (await query<R>(sql, params)).rows;
    },
    async run<R>(sql: string, params?: readonly unknown[]) {
      const result = await query<R>(sql, params);
      return { changes: result.rowCount ?? 0, rows: result.rows };
    },
    atomically(fn) {
      return writes.run(async () => {
        await query('SAVEPOINT signet_write', undefined);
        let result;
        try {
          result = await fn();
        } catch (error) {
          await query('ROLLBACK TO SAVEPOINT signet_write', undefined);
          await query('RELEASE SAVEPOINT signet_write', undefined);
          throw error;
        }
        await query('RELEASE SAVEPOINT signet_write', undefined);
        return result;
      });
    },
  };
}

import pg from 'pg';
import type { StoreChange } from '../store.ts';
import { CHANGE_CHANNEL, decodeChangeNotice } from './change-notice.ts';

export interface ChangeListenerOptions {
  /** How to open the dedicated listening connection. */
  clientConfig: pg.ClientConfig;
  /** This store's origin: its own notices were already delivered locally at commit. */
  origin: string;
  deliver(changes: readonly StoreChange[]): void;
  onError(error: unknown): void;
  /** First and longest wait before reconnecting; the wait doubles after each failed attempt. */
  reconnectDelayMs?: { min: number; max: number };
}

/** A running LISTEN on the change channel; `stop` closes it for good. */
export interface ChangeListener {
  stop(): Promise<void>;
}

/**
 * Listens for other instances' committed changes on a dedicated connection (LISTEN cannot share a
 * pooled one). Whenever listening (re)starts, it delivers `{entity: 'all'}`: a notice sent while no
 * connection listened is lost, so consumers reload everything. A lost connection is retried with
 * exponential backoff until `stop`.
 */
export function createChangeListener(options: ChangeListenerOptions): ChangeListener {
  const delays = options.reconnectDelayMs ?? { min: 100, max: 5_000 };
  let current: pg.Client | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let connecting: Promise<void> = Promise.resolve();

  function scheduleReconnect(): void {
    if (stopped || retry) return;
    const delay = Math.min(delays.max, delays.min * 2 ** failures);
    failures += 1;
    retry = setTimeout(() => {
      retry = undefined;
      connecting = connect();
    }, delay);
  }

  function lost(client: pg.Client): void {
    if (client !== current) return;
    current = undefined;
    client.end().catch(() => undefined);
    scheduleReconnect();
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const client = new pg.Client(options.clientConfig);
    client.on('error', (error) => {
      options.onError(error);
      lost(client);
    });
    client.on('end', () => lost(client));
    client.on('notification', (message) => {
      if (client !== current || message.channel !== CHANGE_CHANNEL) return;
      const notice = decodeChangeNotice(message.payload);
      if (notice.origin !== options.origin) options.deliver(notice.changes);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      options.onError(error);
      client.end().catch(() => undefined);
      scheduleReconnect();
      return;
    }
    if (stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    current = client;
    failures = 0;
    options.deliver([{ entity: 'all' }]);
  }

  connecting = connect();

  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await connecting;
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, verified with the `standardwebhooks` package. */
export interface ReceivedWebhook {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  event: Record<string, unknown> & { id: string; type: string; data: Record<string, unknown> };
  /** The status the receiver answered with (null when it never answered). */
  answered: number | null;
}

/** What the receiver does with a request: answer a status, or never answer (`hang`). */
export type ReceiverReply = number | 'hang';

/**
 * A webhook receiver on loopback, as a customer writes one: every request is verified with the
 * `standardwebhooks` package and the secret it was given (a request that fails verification is
 * recorded in `rejected` and answered 401); `reply` decides the answer of each verified one.
 */
export async function startWebhookReceiver(
  options: { reply?: (received: ReceivedWebhook, index: number) => ReceiverReply } = {},
) {
  const received: ReceivedWebhook[] = [];
  const rejected: { headers: IncomingHttpHeaders; body: string; reason: string }[] = [];
  const secrets: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let reply = options.reply ?? (() => 204);
  const hanging = new Set<import('node:http').ServerResponse>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ]),
      );
      let event: ReceivedWebhook['event'] | undefined;
      let reason = 'no secret';
      for (const secret of secrets) {
        try {
          event = new Webhook(secret).verify(body, headers) as ReceivedWebhook['event'];
          break;
        } catch (error) {
          reason = (error as Error).message;
        }
      }
      if (!event) {
        rejected.push({ headers: request.headers, body, reason });
        response.writeHead(401).end();
        return;
      }
      const entry: ReceivedWebhook = {
        id: String(request.headers['webhook-id']),
        headers: request.headers,
        body,
        event,
        answered: null,
      };
      received.push(entry);
      const answer = reply(entry, received.length - 1);
      if (answer === 'hang') hanging.add(response);
      else {
        entry.answered = answer;
        response.writeHead(answer).end();
      }
      for (const waiter of [...waiters]) {
        if (received.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    rejected,
    /** Trusts a secret (a receiver keeps the old one too while a rotation is in its grace period). */
    trust(secret: string): void {
      secrets.push(secret);
    },
    /** Forgets every trusted secret but `secret`. */
    trustOnly(secret: string): void {
      secrets.splice(0, secrets.length, secret);
    },
    setReply(next: (received: ReceivedWebhook, index: number) => ReceiverReply): void {
      reply = next;
    },
    /**
     * Resolves once `count` verified requests have arrived (a condition, not a schedule); rejects
     * after `deadlineMs` so a delivery that never comes fails the test instead of hanging it.
     */
    waitFor(count: number, deadlineMs = 90_000): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${received.length} of ${count} webhook requests arrived`)),
          deadlineMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async close(): Promise<void> {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

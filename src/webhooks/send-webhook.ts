import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from '../domain/is-private-address.ts';

/** One HTTP POST of a delivery. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What the receiver did; `error` says why an attempt failed before or instead of a 2xx. */
export interface WebhookResponse {
  responseCode: number | null;
  ok: boolean;
  error: string | null;
}

/** The limits every delivery is sent under. */
export interface SendWebhookOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  allowPrivateNetworks: boolean;
}

/** Sends one webhook request; resolves (never rejects) with what happened. */
export type SendWebhook = (request: WebhookRequest) => Promise<WebhookResponse>;

/**
 * Creates the sender: one POST, no redirects followed (a 3xx is a failure), a timeout over the
 * whole exchange, a cap on the response body, and, unless private networks are allowed, the
 * address actually connected to checked at connection time, so a name that resolved to a public
 * address when the subscription was written cannot be rebound to an internal one (DNS rebinding).
 */
export function createWebhookSender(options: SendWebhookOptions): SendWebhook {
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as unknown as LookupAddress[];
      const allowed = list.filter((entry) => options.allowPrivateNetworks || !isPrivateAddress(entry.address));
      const chosen = allowed[0];
      if (chosen === undefined) {
        const refused = Object.assign(new Error('the receiver resolves to a private, loopback or link-local address'), {
          code: 'SIGNET_PRIVATE_ADDRESS',
        });
        return callback(refused, '', 4);
      }
      if ((lookupOptions as { all?: boolean }).all) return callback(null, allowed as unknown as string, chosen.family);
      return callback(null, chosen.address, chosen.family);
    });
  };

  return (webhook) =>
    new Promise<WebhookResponse>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (response: WebhookResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(response);
      };
      let url: URL;
      try {
        url = new URL(webhook.url);
      } catch {
        finish({ responseCode: null, ok: false, error: 'the URL is not valid' });
        return;
      }
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      if (!options.allowPrivateNetworks && isIP(host) !== 0 && isPrivateAddress(host)) {
        finish({ responseCode: null, ok: false, error: 'the receiver is a private, loopback or link-local address' });
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const body = Buffer.from(webhook.body, 'utf8');
      const req = send(url, {
        method: 'POST',
        headers: { ...webhook.headers, 'content-length': String(body.length) },
        lookup: guardedLookup,
        // Each attempt on a fresh connection: a pooled socket would skip the address check.
        agent: false,
      });
      timer = setTimeout(() => {
        req.destroy();
        finish({ responseCode: null, ok: false, error: `no answer within ${options.timeoutMs} ms` });
      }, options.timeoutMs);
      req.on('response', (res) => {
        const code = res.statusCode ?? 0;
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > options.maxResponseBytes) {
            res.destroy();
            finish({ responseCode: code, ok: false, error: `response body over ${options.maxResponseBytes} bytes` });
          }
        });
        res.on('end', () =>
          finish({
            responseCode: code,
            ok: code >= 200 && code < 300,
            error: code >= 200 && code < 300 ? null : `the receiver answered ${code}`,
          }),
        );
        res.on('error', () => finish({ responseCode: code, ok: false, error: 'the response was cut off' }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === 'SIGNET_PRIVATE_ADDRESS'
            ? error.message
            : `could not reach the receiver (${error.code ?? 'connection error'})`;
        finish({ responseCode: null, ok: false, error: reason });
      });
      req.end(body);
    });
}

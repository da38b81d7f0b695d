import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { WEBHOOK_MAX_ATTEMPTS, webhookRetryDelayMs } from '../domain/webhook-retry-delay.ts';
import type { WebhookDeliveryStatus, WebhookDeliveryWithEvent } from '../domain/webhook-types.ts';
import { webhookSignature } from '../crypto/webhook-signature.ts';
import type { WebhookService } from '../services/create-webhook-service.ts';
import type { Store } from '../storage/store.ts';
import type { SendWebhook } from './send-webhook.ts';
import { toCloudEvent } from './to-cloud-event.ts';

/** What the dispatcher reports of each attempt (metrics). */
export type WebhookAttemptObserver = (outcome: 'delivered' | 'failed', seconds: number) => void;

export interface WebhookDispatcherDeps {
  store: Store;
  webhooks: WebhookService;
  send: SendWebhook;
  now: () => number;
  /**
   * The clock `webhook-timestamp` is read from. A receiver compares it with its own clock (Standard
   * Webhooks allows five minutes), so it is the wall clock even where scheduling runs on `now`.
   */
  wallClock?: () => number;
  /** In [0, 1): the jitter of retry delays. */
  random?: () => number;
  /** The CloudEvents `source` of a tenant's events: its base URL. */
  sourceOf: (tenantId: string) => string;
  /** How long a claimed delivery stays this instance's; longer than a send can take. */
  leaseMs: number;
  failingAfter: number;
  pollIntervalMs: number;
  /** Names this instance in leases; unique per process. */
  instanceId?: string;
  /** Deliveries started at once (each to a different subscription). */
  concurrency?: number;
  logger?: Logger;
  onAttempt?: WebhookAttemptObserver;
}

/**
 * The delivery loop of the outbox. Each pass reads the due deliveries (the oldest pending one of
 * each subscription, so commit order per subscription holds), leases each one in a transaction of
 * its own (on PostgreSQL one instance wins a delivery; an instance that dies leaves a lease that
 * expires and another takes over), sends it signed the Standard Webhooks way, and records the
 * attempt with the retry time of a failure (exponential backoff with jitter), across restarts
 * since all of it is in the database. A pass repeats until nothing more is due.
 */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps) {
  const instanceId = deps.instanceId ?? `signet-${randomUUID()}`;
  const random = deps.random ?? Math.random;
  const concurrency = deps.concurrency ?? 8;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;
  let kicked = false;

  async function attempt(delivery: WebhookDeliveryWithEvent): Promise<boolean> {
    const claimedAt = deps.now();
    const webhook = await deps.store.transaction(async (tx) => {
      if (!(await tx.claimWebhookDelivery(delivery.id, instanceId, claimedAt, claimedAt + deps.leaseMs))) return null;
      return (await tx.getWebhook(delivery.tenantId, delivery.webhookId)) ?? null;
    });
    if (webhook === null) return false;
    const body = JSON.stringify(toCloudEvent(delivery.event, deps.sourceOf(delivery.tenantId)));
    const timestamp = Math.floor((deps.wallClock ?? Date.now)() / 1000);
    const started = performance.now();
    const response = await deps.send({
      url: webhook.url,
      body,
      headers: {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'user-agent': 'Signet-Webhooks/1',
        'webhook-id': delivery.event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': webhookSignature(
          deps.webhooks.signingKeys(webhook, claimedAt),
          delivery.event.id,
          timestamp,
          body,
        ),
      },
    });
    const latencyMs = Math.round(performance.now() - started);
    const at = deps.now();
    const attempts = delivery.attempts + 1;
    const status: WebhookDeliveryStatus = response.ok
      ? 'delivered'
      : attempts >= WEBHOOK_MAX_ATTEMPTS
        ? 'failed'
        : 'pending';
    await deps.store.transaction((tx) =>
      tx.completeWebhookAttempt({
        attempt: {
          deliveryId: delivery.id,
          webhookId: delivery.webhookId,
          at,
          outcome: response.ok ? 'delivered' : 'failed',
          responseCode: response.responseCode,
          latencyMs,
          error: response.error,
        },
        leaseOwner: instanceId,
        status,
        attempts,
        nextAttemptAt: status === 'pending' ? at + webhookRetryDelayMs(attempts, random()) : at,
        deliveredAt: response.ok ? at : null,
        failingAfter: deps.failingAfter,
      }),
    );
    deps.onAttempt?.(response.ok ? 'delivered' : 'failed', latencyMs / 1000);
    if (!response.ok) {
      deps.logger?.warn(
        {
          webhookId: delivery.webhookId,
          deliveryId: delivery.id,
          attempts,
          status,
          responseCode: response.responseCode,
          reason: response.error,
        },
        'webhook delivery failed',
      );
    }
    return true;
  }

  async function pass(): Promise<number> {
    let attempted = 0;
    // Bounded: a subscription whose receiver answers at once gets its backlog in one pass, but a pass always ends.
    for (let round = 0; round < 100; round += 1) {
      const due = await deps.store.read((reader) => reader.listDueWebhookDeliveries(deps.now(), concurrency));
      if (due.length === 0) break;
      const results = await Promise.all(
        due.map((delivery) =>
          attempt(delivery).catch((error: unknown) => {
            deps.logger?.error(
              { err: error, deliveryId: delivery.id },
              'webhook delivery could not be recorded; its lease will expire',
            );
            return false;
          }),
        ),
      );
      const done = results.filter(Boolean).length;
      attempted += done;
      if (done === 0) break;
    }
    return attempted;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      kicked = false;
      running = pass()
        .catch((error: unknown) => {
          deps.logger?.warn({ err: error }, 'webhook delivery pass failed; will retry');
          return 0;
        })
        .finally(() => {
          running = null;
          schedule(kicked ? 0 : deps.pollIntervalMs);
        });
    }, delay);
    timer.unref();
  }

  return {
    /** Starts the loop. */
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    /** Asks for a pass soon (after a local commit), instead of at the next poll. */
    kick(): void {
      if (stopped) return;
      if (running) {
        kicked = true;
        return;
      }
      if (timer) clearTimeout(timer);
      schedule(0);
    },
    /** Runs one pass now and returns how many attempts it made (tests drive the clock with it). */
    runOnce: pass,
    /** Stops the loop and waits for a pass in progress. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;

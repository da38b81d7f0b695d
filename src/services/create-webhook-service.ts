import type { WebhookTargetRules } from '../domain/check-webhook-url.ts';
import { checkWebhookUrl } from '../domain/check-webhook-url.ts';
import type { RequestContext } from '../domain/types.ts';
import { isWebhookEventType, type WebhookEventType } from '../domain/webhook-event-types.ts';
import type { Webhook, WebhookAttempt, WebhookDeliveryWithEvent } from '../domain/webhook-types.ts';
import type { Sealer } from '../crypto/create-sealer.ts';
import { randomId } from '../crypto/random-id.ts';
import { webhookSecretAad } from '../crypto/webhook-secret-aad.ts';
import { generateWebhookSecret, webhookSecretBytes } from '../crypto/webhook-signature.ts';
import { SignetError } from '../errors.ts';
import type { Store, StoreTx } from '../storage/store.ts';
import { createDetailsAuditor } from './create-details-auditor.ts';

export interface WebhookServiceDeps {
  store: Store;
  sealer: Sealer;
  now: () => number;
  rules: WebhookTargetRules;
  /** How long a rotated-out secret keeps signing beside the new one. */
  secretGraceSeconds: number;
}

/** What a subscription is created or changed with; `null` event types or key sets mean all. */
export interface WebhookInput {
  url?: string;
  eventTypes?: string[] | null;
  keySetIds?: string[] | null;
  enabled?: boolean;
}

/** A subscription and, when one was just made, its secret (shown once). */
export interface WebhookWithSecret {
  webhook: Webhook;
  secret?: string;
}

/** A delivery with every attempt made at it. */
export interface WebhookDeliveryReport extends WebhookDeliveryWithEvent {
  attemptLog: WebhookAttempt[];
}

export type WebhookService = ReturnType<typeof createWebhookService>;

/**
 * Webhook subscriptions of a tenant: create (the `whsec_` secret is returned once), list, change,
 * rotate the secret (the old one keeps signing for a grace period), delete, list deliveries with
 * their attempts, and redeliver one or every failed delivery. Each change is audited.
 */
export function createWebhookService({ store, sealer, now, rules, secretGraceSeconds }: WebhookServiceDeps) {
  function checkEventTypes(values: string[] | null | undefined): WebhookEventType[] | null {
    if (values === undefined || values === null) return null;
    const unique = [...new Set(values)];
    const unknown = unique.filter((value) => !isWebhookEventType(value));
    if (unknown.length > 0 || unique.length === 0) {
      throw new SignetError(
        'ERR_VALIDATION',
        unique.length === 0
          ? 'eventTypes must name at least one event type'
          : `unknown event types: ${unknown.join(', ')}`,
        { fields: ['eventTypes'], ...(unknown.length > 0 ? { unknown } : {}) },
      );
    }
    return unique as WebhookEventType[];
  }

  async function checkKeySetIds(tx: StoreTx, tenantId: string, values: string[] | null | undefined) {
    if (values === undefined || values === null) return null;
    const unique = [...new Set(values)];
    if (unique.length === 0)
      throw new SignetError('ERR_VALIDATION', 'keySetIds must name at least one key set', { fields: ['keySetIds'] });
    for (const id of unique) {
      const keySet = await tx.getKeySet(id);
      // Another tenant's key set is as unknown here as one that does not exist.
      if (keySet?.tenantId !== tenantId)
        throw new SignetError('ERR_KEY_SET_NOT_FOUND', `key set ${id} not found`, { keySetId: id });
    }
    return unique;
  }

  async function find(tx: Pick<StoreTx, 'getWebhook'>, tenantId: string, id: string): Promise<Webhook> {
    const webhook = await tx.getWebhook(tenantId, id);
    if (!webhook) throw new SignetError('ERR_WEBHOOK_NOT_FOUND', `webhook ${id} not found`, { webhookId: id });
    return webhook;
  }

  const audit = createDetailsAuditor(now);

  return {
    /** Creates a subscription with a fresh secret, returned only here. */
    async create(
      context: RequestContext,
      tenantId: string,
      input: WebhookInput & { url: string },
    ): Promise<Required<WebhookWithSecret>> {
      const url = checkWebhookUrl(input.url, rules);
      const eventTypes = checkEventTypes(input.eventTypes);
      const id = randomId('wh_', 20);
      const secret = generateWebhookSecret();
      const at = now();
      const webhook = await store.transaction(async (tx) => {
        const created: Webhook = {
          id,
          tenantId,
          url,
          eventTypes,
          keySetIds: await checkKeySetIds(tx, tenantId, input.keySetIds),
          enabled: input.enabled ?? true,
          sealedSecret: sealer.sealSecret(webhookSecretBytes(secret), webhookSecretAad(id)),
          previousSealedSecret: null,
          previousSecretExpiresAt: null,
          failing: false,
          consecutiveFailures: 0,
          createdAt: at,
          updatedAt: at,
        };
        await tx.insertWebhook(created);
        await audit(tx, context, tenantId, 'webhook.created', {
          webhookId: id,
          url,
          eventTypes,
          keySetIds: created.keySetIds,
        });
        return created;
      });
      return { webhook, secret };
    },

    /** The tenant's subscriptions, oldest first. */
    list(tenantId: string): Promise<Webhook[]> {
      return store.read((reader) => reader.listWebhooks(tenantId));
    },

    /** One subscription; ERR_WEBHOOK_NOT_FOUND when the tenant has none of that id. */
    get(tenantId: string, id: string): Promise<Webhook> {
      return store.read((reader) => find(reader, tenantId, id));
    },

    /** Changes a subscription; `rotateSecret` makes a new secret (returned once) and keeps the old one signing for the grace period. */
    async update(
      context: RequestContext,
      tenantId: string,
      id: string,
      input: WebhookInput & { rotateSecret?: boolean },
    ): Promise<WebhookWithSecret> {
      const url = input.url === undefined ? undefined : checkWebhookUrl(input.url, rules);
      const eventTypes = input.eventTypes === undefined ? undefined : checkEventTypes(input.eventTypes);
      const secret = input.rotateSecret ? generateWebhookSecret() : undefined;
      const at = now();
      const webhook = await store.transaction(async (tx) => {
        const current = await find(tx, tenantId, id);
        const keySetIds =
          input.keySetIds === undefined ? current.keySetIds : await checkKeySetIds(tx, tenantId, input.keySetIds);
        const updated: Webhook = {
          ...current,
          url: url ?? current.url,
          eventTypes: eventTypes === undefined ? current.eventTypes : eventTypes,
          keySetIds,
          enabled: input.enabled ?? current.enabled,
          updatedAt: at,
          ...(secret === undefined
            ? {}
            : {
                sealedSecret: sealer.sealSecret(webhookSecretBytes(secret), webhookSecretAad(id)),
                previousSealedSecret: current.sealedSecret,
                previousSecretExpiresAt: at + secretGraceSeconds * 1000,
              }),
          // Resuming a paused subscription starts its failure count afresh.
          ...(input.enabled === true && !current.enabled ? { failing: false, consecutiveFailures: 0 } : {}),
        };
        await tx.updateWebhook(updated);
        await audit(tx, context, tenantId, 'webhook.updated', {
          webhookId: id,
          url: updated.url,
          eventTypes: updated.eventTypes,
          keySetIds: updated.keySetIds,
          enabled: updated.enabled,
          secretRotated: secret !== undefined,
        });
        return updated;
      });
      return secret === undefined ? { webhook } : { webhook, secret };
    },

    /** Deletes a subscription, its deliveries and their attempts. */
    async remove(context: RequestContext, tenantId: string, id: string): Promise<void> {
      await store.transaction(async (tx) => {
        if (!(await tx.deleteWebhook(tenantId, id)))
          throw new SignetError('ERR_WEBHOOK_NOT_FOUND', `webhook ${id} not found`, { webhookId: id });
        await audit(tx, context, tenantId, 'webhook.deleted', { webhookId: id });
      });
    },

    /** The subscription's deliveries, newest event first, each with its attempts. */
    async listDeliveries(tenantId: string, id: string, limit: number): Promise<WebhookDeliveryReport[]> {
      return store.read(async (reader) => {
        await find(reader, tenantId, id);
        const deliveries = await reader.listWebhookDeliveries(id, limit);
        const reports: WebhookDeliveryReport[] = [];
        for (const delivery of deliveries)
          reports.push({ ...delivery, attemptLog: await reader.listWebhookAttempts(delivery.id) });
        return reports;
      });
    },

    /**
     * Sends a delivery again from its first attempt (`deliveryId`), or every failed delivery of the
     * subscription (null); returns how many were queued.
     */
    async redeliver(context: RequestContext, tenantId: string, id: string, deliveryId: string | null): Promise<number> {
      return store.transaction(async (tx) => {
        await find(tx, tenantId, id);
        if (deliveryId !== null && !(await tx.getWebhookDelivery(id, deliveryId)))
          throw new SignetError('ERR_WEBHOOK_DELIVERY_NOT_FOUND', `delivery ${deliveryId} not found`, { deliveryId });
        const queued = await tx.redeliverWebhookDeliveries(id, deliveryId, now());
        await audit(tx, context, tenantId, 'webhook.redelivered', { webhookId: id, deliveryId, queued });
        return queued;
      });
    },

    /** The keys a delivery is signed with at `at`: the current secret and a rotated-out one still in its grace period. */
    signingKeys(webhook: Webhook, at: number): Buffer[] {
      const keys = [sealer.unsealSecret(webhook.sealedSecret, webhookSecretAad(webhook.id))];
      if (webhook.previousSealedSecret !== null && (webhook.previousSecretExpiresAt ?? 0) > at)
        keys.push(sealer.unsealSecret(webhook.previousSealedSecret, webhookSecretAad(webhook.id)));
      return keys;
    },
  };
}

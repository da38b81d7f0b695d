import { announce } from '../components/announcer.js';
import { tag } from '../components/badges.js';
import { emptyState, errorState, loadingState, pageHeader } from '../components/states.js';
import { h, replace } from '../lib/dom.js';
import { formatFullTime, formatRelative } from '../lib/format.js';
import { webhookStatusTag } from './webhook-status.js';

/** @typedef {import('../lib/api-types.js').WebhookResource} WebhookResource */
/** @typedef {import('../lib/api-types.js').WebhookDeliveryResource} WebhookDeliveryResource */

const DELIVERY_TONE = /** @type {const} */ ({ delivered: 'accent', pending: 'planned', failed: 'warning' });

/**
 * One subscription's deliveries, newest event first: status, attempts and the last answer, with
 * redelivery of one delivery or of every failed one.
 * @param {import('../lib/context.js').AppContext} context
 * @param {HTMLElement} main
 * @param {string} webhookId
 */
export async function renderWebhookDeliveriesView(context, main, webhookId) {
  const path = `/webhooks/${encodeURIComponent(webhookId)}`;
  let webhook;
  try {
    webhook = /** @type {{ webhook: WebhookResource }} */ (await context.api.get(path)).webhook;
  } catch (error) {
    replace(
      main,
      pageHeader({ title: 'Webhook', crumbs: [['Webhooks', '#/webhooks']] }),
      errorState(error, 'webhooks:read'),
    );
    return;
  }
  const list = h('div', {}, loadingState('deliveries'));
  const redeliverFailed = h(
    'button',
    { type: 'button', class: 'button button-secondary button-small' },
    'Redeliver failed',
  );
  redeliverFailed.addEventListener('click', () => redeliver('failed', redeliverFailed));
  replace(
    main,
    pageHeader({
      title: webhook.url,
      subtitle: [webhookStatusTag(webhook), ` ${webhook.consecutiveFailures} failed attempts in a row`],
      crumbs: [['Webhooks', '#/webhooks']],
      actions: [redeliverFailed],
    }),
    h('section', { class: 'card card-flush' }, list),
  );

  /**
   * @param {string} deliveryId a delivery id, or `failed` for every failed one
   * @param {HTMLButtonElement} button
   */
  async function redeliver(deliveryId, button) {
    button.disabled = true;
    try {
      const { queued } = /** @type {{ queued: number }} */ (
        await context.api.post(`${path}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`)
      );
      announce(`${queued} ${queued === 1 ? 'delivery' : 'deliveries'} queued again`);
      await load();
    } catch (error) {
      announce(error instanceof Error ? error.message : String(error), 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function load() {
    let items;
    try {
      items = /** @type {{ items: WebhookDeliveryResource[] }} */ (await context.api.get(`${path}/deliveries`)).items;
    } catch (error) {
      replace(list, errorState(error, 'webhooks:read'));
      return;
    }
    const now = Date.now();
    replace(
      list,
      items.length === 0
        ? emptyState('No deliveries yet', 'Events appear here once a key transition is committed.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table table-cards' },
              h('caption', { class: 'visually-hidden' }, 'Deliveries'),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Event', 'Status', 'Attempts', 'Last answer', 'When', ''].map((name) =>
                    h('th', { scope: 'col' }, name || h('span', { class: 'visually-hidden' }, 'Actions')),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                items.map((delivery) => {
                  const again = h(
                    'button',
                    { type: 'button', class: 'button button-secondary button-small' },
                    'Redeliver',
                  );
                  again.addEventListener('click', () => redeliver(delivery.id, again));
                  const when = delivery.deliveredAt ?? delivery.nextAttemptAt ?? delivery.eventTime;
                  return h(
                    'tr',
                    { 'data-id': delivery.id, 'data-status': delivery.status },
                    h(
                      'td',
                      { 'data-label': 'Event' },
                      h('code', {}, delivery.eventType.replace(/^dev\.signet\./, '')),
                      delivery.subject ? h('div', { class: 'muted' }, delivery.subject) : null,
                    ),
                    h('td', { 'data-label': 'Status' }, tag(delivery.status, DELIVERY_TONE[delivery.status])),
                    h('td', { 'data-label': 'Attempts' }, String(delivery.attempts)),
                    h(
                      'td',
                      { 'data-label': 'Last answer' },
                      delivery.lastResponseCode === null ? '—' : String(delivery.lastResponseCode),
                      delivery.lastError ? h('div', { class: 'muted' }, delivery.lastError) : null,
                    ),
                    h(
                      'td',
                      { 'data-label': 'When' },
                      when
                        ? h('time', { datetime: when, title: formatFullTime(when) }, formatRelative(when, now))
                        : '—',
                    ),
                    h('td', { class: 'cell-actions' }, again),
                  );
                }),
              ),
            ),
          ),
    );
  }

  await load();
}

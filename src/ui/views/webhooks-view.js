import { announce } from '../components/announcer.js';
import { tag } from '../components/badges.js';
import { openDialog } from '../components/dialog.js';
import { secretOnce } from '../components/secret-once.js';
import { emptyState, errorState, loadingState, pageHeader } from '../components/states.js';
import { routeHash } from '../lib/context.js';
import { h, replace, uniqueId } from '../lib/dom.js';
import { EVENT_TYPES, webhookStatusTag } from './webhook-status.js';

/** @typedef {import('../lib/api-types.js').WebhookResource} WebhookResource */

/**
 * Webhook subscriptions of the tenant: their health (a failing one stands out), pause and resume,
 * a new subscription with its signing secret shown once, and a link to each one's deliveries.
 * @param {import('../lib/context.js').AppContext} context
 * @param {HTMLElement} main
 */
export async function renderWebhooksView(context, main) {
  const list = h('div', {}, loadingState('webhooks'));
  const create = h('button', { type: 'button', class: 'button button-primary button-small' }, 'New webhook');
  create.addEventListener('click', () => openCreateDialog(context, load));
  replace(
    main,
    pageHeader({
      title: 'Webhooks',
      subtitle: 'Signed CloudEvents for every key transition, delivered at least once.',
      actions: [create],
    }),
    h('section', { class: 'card card-flush' }, list),
  );

  async function load() {
    let items;
    try {
      items = /** @type {{ items: WebhookResource[] }} */ (await context.api.get('/webhooks')).items;
    } catch (error) {
      replace(list, errorState(error, 'webhooks:read'));
      return;
    }
    replace(
      list,
      items.length === 0
        ? emptyState('No webhooks', 'Subscribe a URL to hear of rotations, revocations and certificate renewals.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table table-cards' },
              h('caption', { class: 'visually-hidden' }, 'Webhooks'),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['URL', 'Status', 'Events', ''].map((name) =>
                    h('th', { scope: 'col' }, name || h('span', { class: 'visually-hidden' }, 'Actions')),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                items.map((webhook) => row(webhook)),
              ),
            ),
          ),
    );
  }

  /** @param {WebhookResource} webhook */
  function row(webhook) {
    const toggle = h(
      'button',
      { type: 'button', class: 'button button-secondary button-small' },
      webhook.enabled ? 'Pause' : 'Resume',
    );
    toggle.addEventListener('click', async () => {
      toggle.disabled = true;
      try {
        await context.api.patch(`/webhooks/${encodeURIComponent(webhook.id)}`, { enabled: !webhook.enabled });
        announce(webhook.enabled ? 'Webhook paused' : 'Webhook resumed');
        await load();
      } catch (error) {
        toggle.disabled = false;
        announce(error instanceof Error ? error.message : String(error), 'error');
      }
    });
    return h(
      'tr',
      { 'data-id': webhook.id },
      h('td', { 'data-label': 'URL' }, h('code', {}, webhook.url)),
      h(
        'td',
        { 'data-label': 'Status' },
        webhookStatusTag(webhook),
        webhook.consecutiveFailures > 0
          ? h('span', { class: 'muted' }, ` ${webhook.consecutiveFailures} failed in a row`)
          : null,
      ),
      h(
        'td',
        { 'data-label': 'Events' },
        webhook.eventTypes === null
          ? tag('all events')
          : h(
              'span',
              { class: 'scopes' },
              webhook.eventTypes.map((type) => tag(type.replace(/^dev\.signet\./, ''))),
            ),
      ),
      h(
        'td',
        { class: 'cell-actions' },
        h(
          'a',
          { class: 'button button-secondary button-small', href: routeHash(['webhooks', webhook.id]) },
          'Deliveries',
        ),
        toggle,
      ),
    );
  }

  await load();
}

/**
 * @param {import('../lib/context.js').AppContext} context
 * @param {() => Promise<void>} reload
 */
function openCreateDialog(context, reload) {
  const dialog = openDialog({
    title: 'New webhook',
    description: 'Signet POSTs each event as CloudEvents JSON, signed the Standard Webhooks way.',
  });
  const urlId = uniqueId('webhook-url');
  const urlError = h('p', { class: 'field-error', id: `${urlId}-error`, hidden: true });
  const url = h('input', {
    id: urlId,
    class: 'input',
    type: 'url',
    required: true,
    placeholder: 'https://hooks.example.com/signet',
    'aria-describedby': urlError.id,
    autocomplete: 'off',
  });
  const events = h(
    'fieldset',
    { class: 'field scope-picker' },
    h('legend', {}, 'Events (none chosen: all)'),
    EVENT_TYPES.map(([type, hint]) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: 'event', value: type }),
        h('code', {}, type),
        h('span', { class: 'hint' }, hint),
      ),
    ),
  );
  const formError = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: urlId }, 'URL'), url, urlError),
    events,
    formError,
  );
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Create webhook');
  const cancel = h('button', { type: 'button', class: 'button button-secondary' }, 'Cancel');
  cancel.addEventListener('click', () => dialog.close());
  submit.addEventListener('click', () => form.requestSubmit());
  replace(dialog.body, form);
  replace(dialog.footer, cancel, submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    urlError.hidden = true;
    formError.hidden = true;
    url.removeAttribute('aria-invalid');
    const chosen = [...form.querySelectorAll('input[name=event]:checked')].map(
      (input) => /** @type {HTMLInputElement} */ (input).value,
    );
    submit.disabled = true;
    try {
      const created = /** @type {{ webhook: WebhookResource, secret: string }} */ (
        await context.api.post('/webhooks', {
          url: url.value.trim(),
          ...(chosen.length > 0 ? { eventTypes: chosen } : {}),
        })
      );
      announce('Webhook created');
      replace(
        dialog.body,
        h('p', {}, 'Events for ', h('code', {}, created.webhook.url), ' are signed with this secret.'),
        secretOnce('Signing secret', created.secret, 'Signet keeps it sealed and never shows it again'),
      );
      const done = h('button', { type: 'button', class: 'button button-primary' }, 'Done');
      done.addEventListener('click', () => dialog.close());
      replace(dialog.footer, done);
      /** @type {HTMLElement | null} */ (dialog.body.querySelector('[data-autofocus]'))?.focus();
      await reload();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const box = /url/.test(message) ? urlError : formError;
      box.textContent = message;
      box.hidden = false;
      if (box === urlError) {
        url.setAttribute('aria-invalid', 'true');
        url.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });
}

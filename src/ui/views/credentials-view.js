import { announce } from '../components/announcer.js';
import { tag } from '../components/badges.js';
import { openDialog } from '../components/dialog.js';
import { secretOnce } from '../components/secret-once.js';
import { emptyState, errorState, loadingState, pageHeader } from '../components/states.js';
import { ApiError } from '../lib/api.js';
import { h, replace, uniqueId } from '../lib/dom.js';
import { formatFullTime, formatRelative } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').ClientResource} ClientResource */
/** @typedef {import('../lib/api-types.js').ApiTokenResource} ApiTokenResource */
/** @typedef {import('../lib/api-types.js').Scope} Scope */

/** @type {[string, [Scope, string][]][]} */
const SCOPE_GROUPS = [
  [
    'Keys',
    [
      ['keys:read', 'read'],
      ['keys:write', 'rotate, revoke, policy'],
    ],
  ],
  [
    'Authorization servers',
    [
      ['authorization-servers:read', 'read'],
      ['authorization-servers:write', 'create, change'],
    ],
  ],
  [
    'Credentials',
    [
      ['clients:read', 'read'],
      ['clients:write', 'create, delete'],
    ],
  ],
  ['Audit', [['audit:read', 'read']]],
  ['Signing', [['tokens:sign', 'sign tokens with the signing API']]],
  [
    'Webhooks',
    [
      ['webhooks:read', 'read, deliveries'],
      ['webhooks:write', 'subscribe, change, redeliver'],
    ],
  ],
  [
    'Tenants',
    [
      ['tenants:read', 'read'],
      ['tenants:write', 'create, change'],
    ],
  ],
];

/**
 * @typedef {object} CredentialKind
 * @property {string} noun "API client"
 * @property {string} path "/clients"
 * @property {(item: any) => string} id
 * @property {string} secretField the response member holding the secret
 * @property {string} secretLabel
 * @property {string} description
 */

/** @type {CredentialKind[]} */
const KINDS = [
  {
    noun: 'API client',
    path: '/clients',
    id: (item) => item.clientId,
    secretField: 'clientSecret',
    secretLabel: 'Client secret',
    description:
      'A client ID and secret for the token endpoint (client_credentials); ask for audience urn:signet:management to call this API.',
  },
  {
    noun: 'API token',
    path: '/api-tokens',
    id: (item) => item.id,
    secretField: 'token',
    secretLabel: 'API token',
    description: 'A long-lived Bearer token (sgt_…) for scripts and the CLI.',
  },
];

/**
 * API clients and API tokens: list, create with scopes (the secret shown once), delete.
 * @param {import('../lib/context.js').AppContext} context
 * @param {HTMLElement} main
 */
export async function renderCredentialsView(context, main) {
  const sections = KINDS.map((kind) => credentialSection(context, kind));
  replace(
    main,
    pageHeader({
      title: 'API credentials',
      subtitle: `Who may call the management API of tenant ${context.tenantName}, and with which scopes.`,
    }),
    h(
      'div',
      { class: 'stack-lg' },
      sections.map((section) => section.element),
    ),
  );
  await Promise.all(sections.map((section) => section.load()));
}

/**
 * @param {import('../lib/context.js').AppContext} context
 * @param {CredentialKind} kind
 */
function credentialSection(context, kind) {
  const titleId = uniqueId('credential-title');
  const list = h('div', {}, loadingState(`${kind.noun}s`));
  const create = h('button', { type: 'button', class: 'button button-primary button-small' }, `New ${kind.noun}`);
  create.addEventListener('click', () => openCreateDialog(context, kind, load));
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'card-head card-head-row' },
      h('div', {}, h('h2', { id: titleId }, `${kind.noun}s`), h('p', { class: 'muted' }, kind.description)),
      create,
    ),
    list,
  );

  async function load() {
    let items;
    try {
      items = /** @type {{ items: (ClientResource | ApiTokenResource)[] }} */ (await context.api.get(kind.path)).items;
    } catch (error) {
      replace(list, errorState(error, 'clients:read'));
      return;
    }
    const now = Date.now();
    replace(
      list,
      items.length === 0
        ? emptyState(`No ${kind.noun}s`)
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table table-cards' },
              h('caption', { class: 'visually-hidden' }, `${kind.noun}s`),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Name', 'ID', 'Scopes', 'Created', ''].map((name) =>
                    h('th', { scope: 'col' }, name || h('span', { class: 'visually-hidden' }, 'Actions')),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                items.map((item) => {
                  const remove = h(
                    'button',
                    {
                      type: 'button',
                      class: 'button button-danger-ghost button-small',
                      'aria-label': `Delete ${kind.noun} ${item.name}`,
                    },
                    'Delete',
                  );
                  remove.addEventListener('click', () => openDeleteDialog(context, kind, item, load));
                  return h(
                    'tr',
                    { 'data-id': kind.id(item) },
                    h('td', { 'data-label': 'Name' }, h('strong', {}, item.name)),
                    h('td', { 'data-label': 'ID' }, h('code', {}, kind.id(item))),
                    h(
                      'td',
                      { 'data-label': 'Scopes' },
                      h(
                        'span',
                        { class: 'scopes' },
                        item.scopes.map((scope) => tag(scope, scope.endsWith(':write') ? 'warning' : 'neutral')),
                      ),
                      item.authorizationServerIds
                        ? h('span', { class: 'muted' }, ` signs only for ${item.authorizationServerIds.join(', ')}`)
                        : null,
                    ),
                    h(
                      'td',
                      { 'data-label': 'Created' },
                      h(
                        'time',
                        { datetime: item.createdAt, title: formatFullTime(item.createdAt) },
                        formatRelative(item.createdAt, now),
                      ),
                    ),
                    h('td', { class: 'cell-actions' }, remove),
                  );
                }),
              ),
            ),
          ),
    );
  }
  return { element, load };
}

/**
 * @param {import('../lib/context.js').AppContext} context
 * @param {CredentialKind} kind
 * @param {() => Promise<void>} reload
 */
function openCreateDialog(context, kind, reload) {
  const dialog = openDialog({ title: `New ${kind.noun}`, description: kind.description });
  const nameId = uniqueId('credential-name');
  const nameError = h('p', { class: 'field-error', id: `${nameId}-error`, hidden: true });
  const scopesError = h('p', { class: 'field-error', id: uniqueId('scopes-error'), hidden: true });
  const name = h('input', {
    id: nameId,
    class: 'input',
    type: 'text',
    maxlength: '200',
    required: true,
    'aria-describedby': nameError.id,
    autocomplete: 'off',
  });
  const groups = SCOPE_GROUPS.filter(([group]) => group !== 'Tenants' || context.isRootTenant);
  const scopes = h(
    'fieldset',
    { class: 'field scope-picker', 'aria-describedby': scopesError.id },
    h('legend', {}, 'Scopes'),
    groups.map(([group, entries]) =>
      h(
        'div',
        { class: 'scope-group' },
        h('span', { class: 'scope-group-name' }, group),
        entries.map(([scope, hint]) =>
          h(
            'label',
            { class: 'check' },
            h('input', { type: 'checkbox', name: 'scope', value: scope }),
            h('code', {}, scope),
            h('span', { class: 'hint' }, hint),
          ),
        ),
      ),
    ),
    scopesError,
  );
  const formError = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  const signForId = uniqueId('sign-for');
  const signFor = h('input', {
    id: signForId,
    class: 'input',
    type: 'text',
    autocomplete: 'off',
    placeholder: 'every authorization server',
  });
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: nameId }, 'Name'), name, nameError),
    scopes,
    h(
      'div',
      { class: 'field' },
      h('label', { for: signForId }, 'May sign for (tokens:sign): authorization server ids, space-separated'),
      signFor,
    ),
    formError,
  );
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, `Create ${kind.noun}`);
  const cancel = h('button', { type: 'button', class: 'button button-secondary' }, 'Cancel');
  cancel.addEventListener('click', () => dialog.close());
  submit.addEventListener('click', () => form.requestSubmit());
  replace(dialog.body, form);
  replace(dialog.footer, cancel, submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const box of [nameError, scopesError, formError]) box.hidden = true;
    name.removeAttribute('aria-invalid');
    const chosen = [...form.querySelectorAll('input[name=scope]:checked')].map(
      (input) => /** @type {HTMLInputElement} */ (input).value,
    );
    if (!name.value.trim()) return fieldError(nameError, 'Give it a name, so you know later what it is for.', name);
    if (chosen.length === 0)
      return fieldError(
        scopesError,
        'Choose at least one scope.',
        /** @type {HTMLElement} */ (form.querySelector('input[name=scope]')),
      );
    submit.disabled = true;
    try {
      const created = /** @type {Record<string, any>} */ (
        await context.api.post(kind.path, {
          name: name.value.trim(),
          scopes: chosen,
          ...signingServers(signFor.value),
        })
      );
      announce(`${kind.noun} ${created.name} created`);
      replace(
        dialog.body,
        h(
          'p',
          {},
          h('strong', {}, created.name),
          ' was created with ',
          String(chosen.length),
          chosen.length === 1 ? ' scope.' : ' scopes.',
        ),
        kind.secretField === 'clientSecret'
          ? h(
              'div',
              { class: 'field' },
              h('span', { class: 'label' }, 'Client ID'),
              h('code', { class: 'secret-id' }, created.clientId),
            )
          : null,
        secretOnce(kind.secretLabel, String(created[kind.secretField])),
      );
      const done = h('button', { type: 'button', class: 'button button-primary' }, 'Done');
      done.addEventListener('click', () => dialog.close());
      replace(dialog.footer, done);
      /** @type {HTMLElement | null} */ (dialog.body.querySelector('[data-autofocus]'))?.focus();
      await reload();
    } catch (error) {
      const field = error instanceof ApiError ? error.fields[0] : undefined;
      const message = error instanceof Error ? error.message : String(error);
      if (field === 'name') fieldError(nameError, message, name);
      else if (field === 'scopes' || (error instanceof ApiError && error.code === 'ERR_INVALID_SCOPE'))
        fieldError(scopesError, message, null);
      else {
        formError.textContent = message;
        formError.hidden = false;
      }
    } finally {
      submit.disabled = false;
    }
  });

  /**
   * @param {HTMLElement} box
   * @param {string} message
   * @param {HTMLElement | null} input
   */
  function fieldError(box, message, input) {
    box.textContent = message;
    box.hidden = false;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }
}

/**
 * @param {import('../lib/context.js').AppContext} context
 * @param {CredentialKind} kind
 * @param {ClientResource | ApiTokenResource} item
 * @param {() => Promise<void>} reload
 */
function openDeleteDialog(context, kind, item, reload) {
  const dialog = openDialog({ title: `Delete ${kind.noun}`, tone: 'danger' });
  const errorBox = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  replace(
    dialog.body,
    h(
      'p',
      {},
      'Delete ',
      h('strong', {}, item.name),
      ' (',
      h('code', {}, kind.id(item)),
      ')? ',
      kind.noun === 'API client'
        ? 'Its secret stops working and access tokens issued to it stop working at once.'
        : 'Scripts using this token stop working at once.',
    ),
    h('p', { class: 'muted' }, 'If this is the credential you are signed in with, you will be signed out.'),
    errorBox,
  );
  const cancel = h('button', { type: 'button', class: 'button button-secondary', 'data-autofocus': true }, 'Cancel');
  cancel.addEventListener('click', () => dialog.close());
  const remove = h('button', { type: 'button', class: 'button button-danger' }, `Delete ${kind.noun}`);
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    try {
      await context.api.del(`${kind.path}/${encodeURIComponent(kind.id(item))}`);
      dialog.close();
      announce(`${kind.noun} ${item.name} deleted`);
      await reload();
    } catch (error) {
      errorBox.textContent = error instanceof Error ? error.message : String(error);
      errorBox.hidden = false;
      remove.disabled = false;
    }
  });
  replace(dialog.footer, cancel, remove);
}

/**
 * The `authorizationServerIds` of a new credential from the form's text (none given: every server).
 * @param {string} text
 */
function signingServers(text) {
  const ids = text.split(/[\s,]+/).filter(Boolean);
  return ids.length === 0 ? {} : { authorizationServerIds: ids };
}

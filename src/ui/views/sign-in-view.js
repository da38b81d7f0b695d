import { ApiError } from '../lib/api.js';
import { h, replace, uniqueId } from '../lib/dom.js';
import { apiTokenSession, signInWithClient } from '../lib/session.js';

/**
 * The sign-in page: an API token (`sgt_…`), or an API client's id and secret, which are exchanged
 * at this tenant's token endpoint for a management access token (the secret is not kept).
 * @param {import('../lib/context.js').AppContext} context
 * @param {HTMLElement} main
 * @param {{ reason: string | null, onSignedIn: (session: import('../lib/session.js').Session) => void }} options
 */
export function renderSignInView(context, main, { reason, onSignedIn }) {
  let method = /** @type {'apiToken' | 'client'} */ ('apiToken');
  const errorId = uniqueId('sign-in-error');
  const error = h('p', { id: errorId, class: 'form-error', role: 'alert', hidden: true });
  const fields = h('div', { class: 'stack' });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, 'Sign in');

  const tokenInput = h('input', {
    id: 'sign-in-token',
    name: 'token',
    type: 'password',
    class: 'input',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    placeholder: 'sgt_…',
    'aria-describedby': errorId,
  });
  const clientIdInput = h('input', {
    id: 'sign-in-client-id',
    name: 'clientId',
    type: 'text',
    class: 'input',
    autocomplete: 'username',
    spellcheck: 'false',
    required: true,
    'aria-describedby': errorId,
  });
  const secretInput = h('input', {
    id: 'sign-in-client-secret',
    name: 'clientSecret',
    type: 'password',
    class: 'input',
    autocomplete: 'current-password',
    spellcheck: 'false',
    required: true,
    'aria-describedby': errorId,
  });

  const showFields = () => {
    replace(
      fields,
      method === 'apiToken'
        ? h(
            'div',
            { class: 'field' },
            h('label', { for: 'sign-in-token' }, 'API token'),
            tokenInput,
            h(
              'p',
              { class: 'hint' },
              'A token created under API credentials, or the bootstrap token in bootstrap-credentials.json.',
            ),
          )
        : [
            h('div', { class: 'field' }, h('label', { for: 'sign-in-client-id' }, 'Client ID'), clientIdInput),
            h(
              'div',
              { class: 'field' },
              h('label', { for: 'sign-in-client-secret' }, 'Client secret'),
              secretInput,
              h('p', { class: 'hint' }, 'Exchanged for a one-hour management token; the secret is not stored.'),
            ),
          ],
    );
  };
  /** @param {'apiToken' | 'client'} value @param {string} label */
  const choice = (value, label) => {
    const input = h('input', { type: 'radio', name: 'method', value, checked: value === method });
    input.addEventListener('change', () => {
      method = value;
      error.hidden = true;
      showFields();
    });
    return h('label', { class: 'segment' }, input, h('span', {}, label));
  };

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h(
      'fieldset',
      { class: 'segmented' },
      h('legend', { class: 'visually-hidden' }, 'Sign in with'),
      choice('apiToken', 'API token'),
      choice('client', 'Client credentials'),
    ),
    fields,
    error,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const missing =
      method === 'apiToken'
        ? [tokenInput].filter((i) => !i.value.trim())
        : [clientIdInput, secretInput].filter((i) => !i.value.trim());
    if (missing.length > 0) {
      showError('Fill in every field.');
      missing[0]?.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const session =
        method === 'apiToken'
          ? apiTokenSession(tokenInput.value.trim())
          : await signInWithClient(context.tokenEndpoint, clientIdInput.value.trim(), secretInput.value);
      // A credential merely lacking keys:read is valid; one of another tenant or none at all is not.
      const probe = await fetch(new URL('../signet/v1/key-sets', location.href), {
        headers: { authorization: `Bearer ${session.token}` },
        cache: 'no-store',
      });
      const refusal = probe.ok ? null : await probe.json().catch(() => null);
      if (probe.status === 401)
        throw new ApiError(
          401,
          'ERR_UNAUTHENTICATED',
          'This credential is not valid: check that it was copied whole and has not been deleted.',
          {},
          null,
        );
      if (probe.status === 403 && refusal?.error?.details?.reason === 'otherTenant') {
        throw new ApiError(
          403,
          'ERR_FORBIDDEN',
          `This credential belongs to another tenant, not ${context.tenantName}. Open that tenant's dashboard (/t/{tenant}/ui/) to use it.`,
          {},
          null,
        );
      }
      onSignedIn(session);
    } catch (failure) {
      showError(failure instanceof Error ? failure.message : String(failure));
      (method === 'apiToken' ? tokenInput : secretInput).focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  /** @param {string} message */
  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  showFields();
  replace(
    main,
    h(
      'section',
      { class: 'sign-in card', 'aria-labelledby': 'sign-in-title' },
      h(
        'div',
        { class: 'sign-in-brand' },
        h('span', { class: 'brand-mark brand-mark-large', 'aria-hidden': 'true' }),
        h(
          'div',
          {},
          h('h1', { id: 'sign-in-title', tabindex: '-1' }, 'Sign in to Signet'),
          h('p', { class: 'muted' }, 'Tenant ', h('strong', {}, context.tenantName)),
        ),
      ),
      reason ? h('p', { class: 'notice notice-warning', role: 'status' }, reason) : null,
      form,
    ),
  );
  tokenInput.focus();
}

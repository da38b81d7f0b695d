import { announce } from '../components/announcer.js';
import { openDialog } from '../components/dialog.js';
import { ApiError } from '../lib/api.js';
import { h, replace, uniqueId } from '../lib/dom.js';
import { formatDuration, formatRelative, formatTime, shortKid } from '../lib/format.js';
import { simulationPanel } from './simulation-panel.js';

/** @typedef {import('../lib/api-types.js').KeyResource} KeyResource */
/** @typedef {import('../lib/api-types.js').KeySetResource} KeySetResource */
/** @typedef {import('../lib/api-types.js').LifecycleResponse} LifecycleResponse */
/** @typedef {import('../lib/api-types.js').ReadinessResource} ReadinessResource */
/** @typedef {import('../lib/api.js').Api} Api */

/** @param {string} kid */
const kidCode = (kid) => h('code', { class: 'kid-inline', title: kid }, shortKid(kid));

/**
 * @param {string} label
 * @param {string} variant
 * @param {() => void} onClick
 */
function button(label, variant, onClick) {
  const element = h('button', { type: 'button', class: `button button-${variant}` }, label);
  element.addEventListener('click', onClick);
  return element;
}

/**
 * Runs an API action behind a dialog's button: disables it, shows the API's refusal in the dialog.
 * @param {HTMLButtonElement} trigger
 * @param {HTMLElement} errorBox
 * @param {() => Promise<void>} action
 */
async function runAction(trigger, errorBox, action) {
  const label = trigger.textContent;
  trigger.disabled = true;
  trigger.textContent = 'Working…';
  errorBox.hidden = true;
  try {
    await action();
  } catch (error) {
    replace(
      errorBox,
      h('strong', {}, error instanceof ApiError ? `${error.code}: ` : 'Failed: '),
      error instanceof Error ? error.message : String(error),
    );
    errorBox.hidden = false;
  } finally {
    trigger.disabled = false;
    trigger.textContent = label;
  }
}

/**
 * The lagging consumers a readiness-gate refusal names in its details, as a list.
 * @param {unknown} lagging
 */
function laggingList(lagging) {
  const consumers = /** @type {{ name: string | null, address: string, userAgent: string }[]} */ (
    Array.isArray(lagging) ? lagging : []
  );
  if (consumers.length === 0) return null;
  return h(
    'ul',
    { class: 'lagging-consumers' },
    consumers.map((consumer) =>
      h(
        'li',
        { 'data-consumer': consumer.name ?? consumer.address },
        consumer.name ? h('strong', {}, consumer.name) : h('code', {}, consumer.address),
        consumer.userAgent ? ` · ${consumer.userAgent}` : '',
      ),
    ),
  );
}

/**
 * The rotate dialog: what will change, whether it is safe now, and whether the readiness gate is
 * open (from the readiness answer, which applies the rule a rotate does). A refusal of an unsafe
 * rotation (409 ERR_ROTATION_UNSAFE) or by a closed gate (409 ERR_READINESS_GATE_CLOSED) shows its
 * reason, the earliest safe time or the lagging consumers, and offers to force it; a gate known to
 * be closed offers force at once.
 * @param {{ api: Api, keySet: KeySetResource, onDone: (result: LifecycleResponse) => void }} options
 */
export function openRotateDialog({ api, keySet, onDone }) {
  const now = Date.now();
  const safeAt = keySet.rotationSafeAt ? Date.parse(keySet.rotationSafeAt) : null;
  const safe = safeAt !== null && safeAt <= now;
  const dialog = openDialog({ title: 'Rotate signing key', description: `Key set ${keySet.id} · ${keySet.alg}` });
  const errorBox = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  const window = keySet.policy.jwksMaxAgeSeconds + keySet.policy.clockSkewSeconds;
  const gateNotice = h('div', { class: 'gate-notice' });
  replace(
    dialog.body,
    h('h3', { class: 'dialog-subtitle' }, 'What will change'),
    h(
      'ol',
      { class: 'change-list' },
      keySet.nextKid
        ? h(
            'li',
            {},
            h('span', { class: 'badge badge-next' }, 'next'),
            ' → ',
            h('span', { class: 'badge badge-active' }, 'active'),
            ' ',
            kidCode(keySet.nextKid),
            ' starts signing new tokens.',
          )
        : h('li', {}, 'A new key is generated and starts signing at once (there is no next key).'),
      keySet.activeKid
        ? h(
            'li',
            {},
            h('span', { class: 'badge badge-active' }, 'active'),
            ' → ',
            h('span', { class: 'badge badge-draining' }, 'draining'),
            ' ',
            kidCode(keySet.activeKid),
            ` stops signing and stays in the JWKS for at least ${formatDuration(keySet.policy.drainingPeriodSeconds)}, so tokens it signed keep verifying.`,
          )
        : null,
      h('li', {}, h('span', { class: 'badge badge-next' }, 'new'), ' A fresh next key is generated and published.'),
    ),
    safe || safeAt === null
      ? safeAt === null
        ? h(
            'p',
            { class: 'notice notice-warning' },
            'No next key is published, so verifiers cannot have the new key yet. Signet will refuse this unless you force it.',
          )
        : h(
            'p',
            { class: 'notice notice-success' },
            h('strong', {}, 'Safe to rotate now. '),
            `The next key has been published longer than the JWKS cache window (${formatDuration(window)}), so every verifier that honours it has it.`,
          )
      : h(
          'p',
          { class: 'notice notice-warning' },
          h('strong', {}, `Not safe until ${formatTime(safeAt)} (${formatRelative(safeAt, now)}). `),
          `Verifiers may still hold a cached JWKS without the next key; tokens it signs could be rejected until then. Signet will refuse and offer to force it.`,
        ),
    gateNotice,
    simulationPanel({ api, keySetId: keySet.id, action: 'rotate' }),
    errorBox,
  );

  const cancel = button('Cancel', 'secondary', () => dialog.close());
  const forceRotate = () =>
    runAction(force, errorBox, async () => {
      const result = /** @type {LifecycleResponse} */ (
        await api.post(`/key-sets/${encodeURIComponent(keySet.id)}/rotate`, { force: true })
      );
      dialog.close();
      announce(`Rotation forced: ${shortKid(result.keySet.activeKid ?? '')} is now active`);
      onDone(result);
    });
  const force = button('Force rotation now', 'danger', () => forceRotate());
  const rotate = button('Rotate now', 'primary', () =>
    runAction(rotate, errorBox, async () => {
      try {
        const result = /** @type {LifecycleResponse} */ (
          await api.post(`/key-sets/${encodeURIComponent(keySet.id)}/rotate`, {})
        );
        dialog.close();
        announce(`Rotated: ${shortKid(result.keySet.activeKid ?? '')} is now active`);
        onDone(result);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'ERR_ROTATION_UNSAFE') offerForce(error);
        else if (error instanceof ApiError && error.code === 'ERR_READINESS_GATE_CLOSED') offerForceOverGate(error);
        else throw error;
      }
    }),
  );
  rotate.setAttribute('data-autofocus', '');
  replace(dialog.footer, cancel, rotate);

  /** @param {ApiError} refusal */
  function offerForce(refusal) {
    const earliest = typeof refusal.details.earliestSafeAt === 'string' ? refusal.details.earliestSafeAt : null;
    replace(
      errorBox,
      h('p', {}, h('strong', {}, 'Signet refused this rotation as unsafe. '), refusal.message),
      earliest
        ? h(
            'p',
            { class: 'earliest-safe' },
            'Earliest safe rotation: ',
            h('strong', {}, formatTime(earliest)),
            ` (${formatRelative(earliest)})`,
          )
        : null,
    );
    errorBox.hidden = false;
    replace(dialog.footer, cancel, force);
    force.focus();
  }

  /** @param {ApiError} refusal */
  function offerForceOverGate(refusal) {
    replace(
      errorBox,
      h('p', {}, h('strong', {}, 'Signet refused this rotation: the readiness gate is closed. '), refusal.message),
      laggingList(refusal.details.lagging),
    );
    errorBox.hidden = false;
    replace(dialog.footer, cancel, force);
    force.focus();
  }

  // The gate as the API finds it; a failure to read it leaves the decision to the rotate call.
  api.get(`/key-sets/${encodeURIComponent(keySet.id)}/readiness`).then(
    (answer) => {
      const readiness = /** @type {ReadinessResource} */ (answer);
      gateNotice.setAttribute('data-gate', readiness.gate.open ? 'open' : 'closed');
      if (readiness.gate.open || !gateNotice.isConnected) return;
      replace(
        gateNotice,
        h(
          'p',
          { class: 'notice notice-warning' },
          h('strong', {}, 'The readiness gate is closed. '),
          `${readiness.readyCount} of ${readiness.consumerCount} consumers seen in the last ${formatDuration(readiness.windowSeconds)} hold the next key; the policy asks for ${readiness.gate.requiredPercent}%. Signet refuses a plain rotation until enough have fetched it; forcing it now may break the lagging ones.`,
        ),
      );
      replace(dialog.footer, cancel, force);
    },
    () => undefined,
  );
}

/**
 * The revoke dialog for a next or draining key.
 * @param {{ api: Api, keySet: KeySetResource, key: KeyResource, onDone: (result: LifecycleResponse) => void }} options
 */
export function openRevokeDialog({ api, keySet, key, onDone }) {
  const dialog = openDialog({ title: `Revoke ${key.state} key`, tone: 'danger', description: key.kid });
  const errorBox = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  replace(
    dialog.body,
    h(
      'p',
      {},
      key.state === 'draining'
        ? `The key leaves the JWKS at once. Tokens it signed stop verifying as soon as verifiers refresh their copy (within ${formatDuration(keySet.policy.jwksMaxAgeSeconds)}).`
        : 'The next key leaves the JWKS at once and a fresh next key replaces it; nothing that signs today changes.',
    ),
    h('p', { class: 'muted' }, 'Revocation cannot be undone.'),
    simulationPanel({ api, keySetId: keySet.id, action: 'revoke', kid: key.kid }),
    errorBox,
  );
  const revoke = button('Revoke key', 'danger', () =>
    runAction(revoke, errorBox, async () => {
      const result = /** @type {LifecycleResponse} */ (
        await api.post(`/key-sets/${encodeURIComponent(keySet.id)}/keys/${encodeURIComponent(key.kid)}/revoke`, {})
      );
      dialog.close();
      announce(`Key ${shortKid(key.kid)} revoked`);
      onDone(result);
    }),
  );
  replace(
    dialog.footer,
    button('Cancel', 'secondary', () => dialog.close()),
    revoke,
  );
}

/**
 * The emergency-rotate dialog: for a compromised active key. The person types the active kid to confirm.
 * @param {{ api: Api, keySet: KeySetResource, onDone: (result: LifecycleResponse) => void }} options
 */
export function openEmergencyRotateDialog({ api, keySet, onDone }) {
  const dialog = openDialog({
    title: 'Emergency rotate',
    tone: 'danger',
    description: 'For a compromised active key.',
  });
  const errorBox = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  const activeKid = keySet.activeKid ?? '';
  const inputId = uniqueId('confirm-kid');
  const hintId = uniqueId('confirm-hint');
  const input = h('input', {
    id: inputId,
    class: 'input input-mono',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': hintId,
  });
  replace(
    dialog.body,
    h(
      'ul',
      { class: 'change-list' },
      h(
        'li',
        {},
        'The active key ',
        kidCode(activeKid),
        h('strong', {}, ' is revoked now'),
        ' and leaves the JWKS: every token it signed stops verifying.',
      ),
      keySet.nextKid
        ? h('li', {}, 'The next key ', kidCode(keySet.nextKid), ' signs from now on, without waiting for JWKS caches.')
        : h('li', {}, 'A new key signs from now on.'),
      h('li', {}, 'A fresh next key is published.'),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: inputId }, 'Type the active key ID to confirm'),
      h('p', { id: hintId, class: 'hint' }, h('code', { class: 'kid-confirm' }, activeKid)),
      input,
    ),
    simulationPanel({ api, keySetId: keySet.id, action: 'emergency-rotate' }),
    errorBox,
  );
  const confirm = button('Revoke and rotate', 'danger', () =>
    runAction(confirm, errorBox, async () => {
      const result = /** @type {LifecycleResponse} */ (
        await api.post(`/key-sets/${encodeURIComponent(keySet.id)}/emergency-rotate`, {})
      );
      dialog.close();
      announce(`Emergency rotation done: ${shortKid(activeKid)} revoked`);
      onDone(result);
    }),
  );
  confirm.disabled = true;
  input.addEventListener('input', () => {
    confirm.disabled = input.value.trim() !== activeKid;
  });
  replace(
    dialog.footer,
    button('Cancel', 'secondary', () => dialog.close()),
    confirm,
  );
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * The dialog that creates a key set for an authorization server, with its algorithm and custody
 * (sealed in the database, or non-extractable on the PKCS#11 token); the API refuses a custody
 * this instance has not configured, or an algorithm the token lacks, and the dialog shows why.
 * @param {{ api: Api, serverId: string, onDone: (result: LifecycleResponse) => void }} options
 */
export function openCreateKeySetDialog({ api, serverId, onDone }) {
  const dialog = openDialog({ title: 'New key set', description: `Authorization server ${serverId}` });
  const errorBox = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  const algId = uniqueId('alg');
  const custodyId = uniqueId('custody');
  const alg = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: algId, name: 'alg' },
      ALGORITHMS.map((name) => h('option', { value: name, selected: name === 'RS256' }, name)),
    )
  );
  const custody = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: custodyId, name: 'custody' },
      h('option', { value: 'sealed', selected: true }, 'sealed: encrypted under the master key, in the database'),
      h('option', { value: 'pkcs11' }, 'pkcs11: non-extractable on the HSM token'),
    )
  );
  replace(
    dialog.body,
    h('div', { class: 'field' }, h('label', { for: algId }, 'Algorithm'), alg),
    h('div', { class: 'field' }, h('label', { for: custodyId }, 'Key custody'), custody),
    h('p', { class: 'muted' }, 'The custody is fixed for the life of the key set.'),
    errorBox,
  );
  const create = button('Create key set', 'primary', () =>
    runAction(create, errorBox, async () => {
      const result = /** @type {LifecycleResponse} */ (
        await api.post('/key-sets', { ownerId: serverId, alg: alg.value, custody: custody.value })
      );
      dialog.close();
      announce(`Key set ${result.keySet.id} created (${result.keySet.custody})`);
      onDone(result);
    }),
  );
  replace(
    dialog.footer,
    button('Cancel', 'secondary', () => dialog.close()),
    create,
  );
}

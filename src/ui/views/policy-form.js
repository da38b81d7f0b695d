import { announce } from '../components/announcer.js';
import { ApiError } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';

/** @typedef {import('../lib/api-types.js').KeySetResource} KeySetResource */
/** @typedef {import('../lib/api-types.js').RotationPolicy} RotationPolicy */
/** @typedef {Exclude<keyof RotationPolicy, 'mode'>} DurationField */

const UNITS = /** @type {const} */ ([
  ['days', 86400],
  ['hours', 3600],
  ['minutes', 60],
  ['seconds', 1],
]);

/** @type {[DurationField, string, string][]} */
const FIELDS = [
  ['rotationPeriodSeconds', 'Rotation period', 'How long a key signs before AUTO mode rotates it.'],
  ['jwksMaxAgeSeconds', 'JWKS max-age', 'The longest time verifiers may cache the JWKS.'],
  ['clockSkewSeconds', 'Clock skew', 'Tolerated clock difference with verifiers.'],
  ['maxTokenLifetimeSeconds', 'Max token lifetime', 'No token signed with this key set lives longer.'],
  ['drainingPeriodSeconds', 'Draining period', 'How long a key stays published after it stops signing.'],
  ['certificateValiditySeconds', 'Certificate validity', 'Validity of each key’s self-signed certificate.'],
  [
    'certificateRenewBeforeSeconds',
    'Renew certificate before',
    'Renew a published key’s certificate this long before it expires.',
  ],
];

/**
 * The largest unit that expresses `seconds` exactly.
 * @param {number} seconds
 */
function unitFor(seconds) {
  return UNITS.find(([, size]) => seconds !== 0 && seconds % size === 0) ?? UNITS[3];
}

/**
 * The rotation policy form: mode and every period, each in a unit people use. The API validates;
 * its error goes next to the field it names (`details.fields`), with the others it names marked too.
 * @param {{ api: import('../lib/api.js').Api, keySet: KeySetResource, onSaved: (keySet: KeySetResource) => void }} options
 */
export function policyForm({ api, keySet, onSaved }) {
  const policy = keySet.policy;
  /** @type {Map<string, { input: HTMLInputElement, unit: HTMLSelectElement | null, error: HTMLElement, field: HTMLElement }>} */
  const controls = new Map();

  const modeError = h('p', { class: 'field-error', id: 'policy-mode-error', hidden: true });
  /** @param {'AUTO' | 'MANUAL'} value @param {string} label @param {string} hint */
  const modeOption = (value, label, hint) =>
    h(
      'label',
      { class: 'radio-card' },
      h('input', { type: 'radio', name: 'mode', value, checked: policy.mode === value }),
      h('span', {}, h('strong', {}, label), h('span', { class: 'hint' }, hint)),
    );
  const modeField = h(
    'fieldset',
    { class: 'field field-mode', 'aria-describedby': 'policy-mode-error' },
    h('legend', {}, 'Rotation mode'),
    h(
      'div',
      { class: 'radio-cards' },
      modeOption(
        'AUTO',
        'Automatic',
        'Signet rotates every rotation period, never before the next key is in every cache.',
      ),
      modeOption('MANUAL', 'Manual', 'Only you rotate; Signet still retires keys and renews certificates.'),
    ),
    modeError,
  );
  const modeRadios = /** @type {HTMLInputElement[]} */ ([...modeField.querySelectorAll('input[type=radio]')]);
  controls.set('mode', {
    input: /** @type {HTMLInputElement} */ (modeRadios[0]),
    unit: null,
    error: modeError,
    field: modeField,
  });

  const grid = h('div', { class: 'policy-grid' });
  for (const [name, label, hint] of FIELDS) {
    const [unitName, size] = unitFor(policy[name]);
    const inputId = `policy-${name}`;
    const errorId = `${inputId}-error`;
    const hintId = `${inputId}-hint`;
    const input = h('input', {
      id: inputId,
      name,
      class: 'input',
      type: 'number',
      inputmode: 'decimal',
      step: 'any',
      min: '0',
      value: String(policy[name] / size),
      'aria-describedby': `${hintId} ${errorId}`,
    });
    const unit = h(
      'select',
      { class: 'input unit', name: `${name}-unit`, 'aria-label': `${label} unit` },
      UNITS.map(([option]) => h('option', { value: option, selected: option === unitName }, option)),
    );
    const error = h('p', { class: 'field-error', id: errorId, hidden: true });
    const field = h(
      'div',
      { class: 'field', 'data-field': name },
      h('label', { for: inputId }, label),
      h('div', { class: 'input-group' }, input, unit),
      h('p', { class: 'hint', id: hintId }, hint),
      error,
    );
    controls.set(name, { input, unit, error, field });
    grid.appendChild(field);
  }

  const formError = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'button button-primary' }, 'Save policy');
  const reset = h('button', { type: 'reset', class: 'button button-secondary' }, 'Reset');
  const form = h(
    'form',
    { class: 'policy-form', novalidate: true, 'aria-label': 'Rotation policy' },
    modeField,
    grid,
    formError,
    h('div', { class: 'form-actions' }, reset, save),
  );

  const clearErrors = () => {
    formError.hidden = true;
    for (const { input, error, field } of controls.values()) {
      error.hidden = true;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      field.classList.remove('has-error');
    }
  };
  form.addEventListener('reset', () => setTimeout(clearErrors));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    /** @type {Partial<RotationPolicy>} */
    const changed = {};
    const mode = modeRadios.find((radio) => radio.checked)?.value;
    if (mode && mode !== policy.mode) changed.mode = /** @type {'AUTO' | 'MANUAL'} */ (mode);
    for (const [name] of FIELDS) {
      const control = controls.get(name);
      if (!control?.unit) continue;
      const size = UNITS.find(([unit]) => unit === control.unit?.value)?.[1] ?? 1;
      const raw = control.input.value.trim();
      // An empty or non-numeric entry is sent as is (null) so the API's own validation names the field.
      const seconds = raw === '' || Number.isNaN(Number(raw)) ? null : Number(raw) * size;
      if (seconds !== policy[name])
        /** @type {Record<string, unknown>} */ (changed)[name] =
          seconds === null ? null : Math.abs(seconds - Math.round(seconds)) < 1e-9 ? Math.round(seconds) : seconds;
    }
    if (Object.keys(changed).length === 0) {
      announce('Nothing to save: the policy is unchanged', 'info');
      return;
    }
    save.disabled = true;
    save.textContent = 'Saving…';
    try {
      const updated = /** @type {KeySetResource} */ (
        await api.patch(`/key-sets/${encodeURIComponent(keySet.id)}`, { policy: changed })
      );
      announce('Rotation policy saved');
      onSaved(updated);
    } catch (error) {
      showError(error);
    } finally {
      save.disabled = false;
      save.textContent = 'Save policy';
    }
  });

  /** @param {unknown} error */
  function showError(error) {
    const fields = error instanceof ApiError ? error.fields.filter((name) => controls.has(name)) : [];
    const message = error instanceof Error ? error.message : String(error);
    if (fields.length === 0) {
      replace(formError, message);
      formError.hidden = false;
      return;
    }
    fields.forEach((name, index) => {
      const control = /** @type {NonNullable<ReturnType<typeof controls.get>>} */ (controls.get(name));
      control.input.setAttribute('aria-invalid', 'true');
      control.field.classList.add('has-error');
      if (index === 0) {
        control.error.textContent = message;
        control.error.hidden = false;
        control.input.focus();
      } else {
        const first = FIELDS.find(([field]) => field === fields[0])?.[1] ?? fields[0];
        control.error.textContent = `Involved in the error shown at ${first}.`;
        control.error.hidden = false;
      }
    });
    announce(message, 'error');
  }
  return form;
}

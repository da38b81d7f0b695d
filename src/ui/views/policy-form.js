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
 * Verifier readiness (measured, not assumed): its window and the gate on AUTO rotation; the gate is a percentage.
 * @type {[DurationField, string, string][]}
 */
const READINESS_FIELDS = [
  [
    'readinessWindowSeconds',
    'Readiness window',
    'JWKS consumers seen this recently count for readiness and for the gate.',
  ],
  [
    'readinessGatePercent',
    'Readiness gate',
    'AUTO rotation waits until this share of those consumers hold the next key; 0 turns the gate off.',
  ],
  [
    'readinessGateMaxWaitSeconds',
    'Gate maximum wait',
    'How long past its scheduled time AUTO rotation waits for the gate before it rotates anyway.',
  ],
];

/** Fields entered as a plain number, without a unit of time. */
const PERCENT_FIELDS = new Set(['readinessGatePercent']);

/** Every field of the form with its label, in the order shown. */
const ALL_FIELDS = [...FIELDS, ...READINESS_FIELDS];

/**
 * The largest unit that expresses `seconds` exactly.
 * @param {number} seconds
 */
function unitFor(seconds) {
  return UNITS.find(([, size]) => seconds !== 0 && seconds % size === 0) ?? UNITS[3];
}

/**
 * The rotation policy form: mode, every period in a unit people use, and verifier readiness (its
 * window and the gate on AUTO rotation). The API validates;
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

  /**
   * One field: a duration in the unit that states it exactly, or a percentage.
   * @param {[DurationField, string, string]} entry
   */
  const fieldOf = ([name, label, hint]) => {
    const percent = PERCENT_FIELDS.has(name);
    const [unitName, size] = percent ? ['seconds', 1] : unitFor(policy[name]);
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
      ...(percent ? { max: '100' } : {}),
      value: String(policy[name] / size),
      'aria-describedby': `${hintId} ${errorId}`,
    });
    const unit = percent
      ? null
      : h(
          'select',
          { class: 'input unit', name: `${name}-unit`, 'aria-label': `${label} unit` },
          UNITS.map(([option]) => h('option', { value: option, selected: option === unitName }, option)),
        );
    const error = h('p', { class: 'field-error', id: errorId, hidden: true });
    const field = h(
      'div',
      { class: 'field', 'data-field': name },
      h('label', { for: inputId }, label),
      h(
        'div',
        { class: 'input-group' },
        input,
        unit ?? h('span', { class: 'input-suffix', 'aria-hidden': 'true' }, '%'),
      ),
      h('p', { class: 'hint', id: hintId }, hint),
      error,
    );
    controls.set(name, { input, unit, error, field });
    return field;
  };
  const grid = h('div', { class: 'policy-grid' }, FIELDS.map(fieldOf));
  const readinessGroup = h(
    'fieldset',
    { class: 'policy-group', 'data-group': 'readiness' },
    h('legend', {}, 'Verifier readiness'),
    h('div', { class: 'policy-grid' }, READINESS_FIELDS.map(fieldOf)),
  );

  const formError = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'button button-primary' }, 'Save policy');
  const reset = h('button', { type: 'reset', class: 'button button-secondary' }, 'Reset');
  const form = h(
    'form',
    { class: 'policy-form', novalidate: true, 'aria-label': 'Rotation policy' },
    modeField,
    grid,
    readinessGroup,
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
    for (const [name] of ALL_FIELDS) {
      const control = controls.get(name);
      if (!control) continue;
      const size = control.unit ? (UNITS.find(([unit]) => unit === control.unit?.value)?.[1] ?? 1) : 1;
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
        const first = ALL_FIELDS.find(([field]) => field === fields[0])?.[1] ?? fields[0];
        control.error.textContent = `Involved in the error shown at ${first}.`;
        control.error.hidden = false;
      }
    });
    announce(message, 'error');
  }
  return form;
}

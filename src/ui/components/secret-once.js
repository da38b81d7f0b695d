import { h, uniqueId } from '../lib/dom.js';
import { copyButton } from './copy-button.js';

/**
 * A secret the API shows exactly once, with a copy button and the warning that it cannot be shown again.
 * @param {string} label
 * @param {string} value
 * @param {string} [stored] how Signet keeps it, for the warning
 */
export function secretOnce(label, value, stored = 'Signet stores only a hash') {
  const id = uniqueId('secret');
  const input = h('input', {
    id,
    class: 'input input-mono secret-value',
    type: 'text',
    readonly: true,
    value,
    spellcheck: 'false',
    'data-autofocus': true,
  });
  input.addEventListener('focus', () => input.select());
  return h(
    'div',
    { class: 'secret-once' },
    h('label', { for: id }, label),
    h('div', { class: 'input-group' }, input, copyButton(value, label.toLowerCase())),
    h(
      'p',
      { class: 'notice notice-warning' },
      h('strong', {}, 'Copy it now. '),
      `${stored}: this is the only time it is shown.`,
    ),
  );
}

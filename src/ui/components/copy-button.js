import { h, svg } from '../lib/dom.js';
import { announce } from './announcer.js';

const copyIcon = () =>
  svg(
    'svg',
    { viewBox: '0 0 16 16', width: 14, height: 14, 'aria-hidden': 'true', class: 'icon' },
    svg('rect', { x: 5, y: 5, width: 9, height: 9, rx: 1.5 }),
    svg('path', { d: 'M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 2 3.5v6A1.5 1.5 0 0 0 3.5 11H5' }),
  );

/**
 * A button that copies `text` to the clipboard and says so; `compact` shows only an icon (tables).
 * @param {string} text
 * @param {string} what what is copied, for the button's accessible name ("Copy secret")
 * @param {{ compact?: boolean }} [options]
 */
export function copyButton(text, what, { compact = false } = {}) {
  const label = h('span', { class: compact ? 'visually-hidden' : '' }, 'Copy');
  const button = h(
    'button',
    {
      type: 'button',
      class: `button button-secondary button-small${compact ? ' button-icon' : ''}`,
      'aria-label': `Copy ${what}`,
      title: `Copy ${what}`,
    },
    compact ? copyIcon() : null,
    label,
  );
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      label.textContent = 'Copied';
      button.classList.add('is-copied');
      announce(`${what[0]?.toUpperCase()}${what.slice(1)} copied to the clipboard`, 'info');
      setTimeout(() => {
        label.textContent = 'Copy';
        button.classList.remove('is-copied');
      }, 2000);
    } catch {
      announce('The browser did not allow copying; select the text and copy it by hand', 'error');
    }
  });
  return button;
}

import { h } from '../lib/dom.js';
import { announce } from './announcer.js';

/**
 * A button that copies `text` to the clipboard and says so.
 * @param {string} text
 * @param {string} what what is copied, for the button's accessible name ("Copy secret")
 */
export function copyButton(text, what) {
  const button = h('button', { type: 'button', class: 'button button-secondary button-small', 'aria-label': `Copy ${what}` }, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
      announce(`${what[0]?.toUpperCase()}${what.slice(1)} copied to the clipboard`, 'info');
      setTimeout(() => { button.textContent = 'Copy'; }, 2000);
    } catch {
      announce('The browser did not allow copying; select the text and copy it by hand', 'error');
    }
  });
  return button;
}

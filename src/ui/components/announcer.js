import { h } from '../lib/dom.js';

/**
 * Shows a short result message ("Key rotated") as a toast and reads it to screen readers through
 * the page's live regions: polite for results, assertive for failures.
 * @param {string} message
 * @param {'success' | 'error' | 'info'} [tone]
 */
export function announce(message, tone = 'success') {
  const region = document.getElementById(tone === 'error' ? 'live-alert' : 'live-status');
  if (region) {
    region.textContent = '';
    // A fresh text node after clearing makes screen readers announce a repeated message too.
    setTimeout(() => {
      region.textContent = message;
    }, 30);
  }
  const stack = document.getElementById('toasts');
  if (!stack) return;
  const toast = h('div', { class: `toast toast-${tone}`, 'aria-hidden': 'true' }, message);
  stack.appendChild(toast);
  setTimeout(() => toast.classList.add('toast-leaving'), 4500);
  setTimeout(() => toast.remove(), 5000);
}

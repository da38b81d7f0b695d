import { h, uniqueId } from '../lib/dom.js';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * @typedef {object} DialogHandle
 * @property {HTMLDialogElement} element
 * @property {HTMLElement} body where the caller puts the dialog's content
 * @property {HTMLElement} footer where the caller puts the dialog's buttons
 * @property {() => void} close closes it and returns focus to where it was
 */

/**
 * Opens a modal dialog (native <dialog>: the page behind is inert, Escape cancels). Focus moves to
 * `initialFocus` or the first field, Tab and Shift+Tab stay inside, and on close focus returns to
 * the element that opened it.
 * @param {{ title: string, description?: string, tone?: 'default' | 'danger', onClose?: () => void }} options
 * @returns {DialogHandle}
 */
export function openDialog({ title, description, tone = 'default', onClose }) {
  const opener = /** @type {HTMLElement | null} */ (document.activeElement);
  const titleId = uniqueId('dialog-title');
  const descriptionId = uniqueId('dialog-description');
  const body = h('div', { class: 'dialog-body' });
  const footer = h('div', { class: 'dialog-footer' });
  const closeButton = h('button', { type: 'button', class: 'icon-button dialog-close', 'aria-label': 'Close' }, '×');
  const element = h(
    'dialog',
    {
      class: `dialog dialog-${tone}`,
      'aria-labelledby': titleId,
      'aria-describedby': description ? descriptionId : null,
    },
    h('header', { class: 'dialog-header' }, h('h2', { id: titleId }, title), closeButton),
    description ? h('p', { id: descriptionId, class: 'dialog-description' }, description) : null,
    body,
    footer,
  );

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    element.close();
    element.remove();
    onClose?.();
    if (opener?.isConnected) opener.focus();
  };
  closeButton.addEventListener('click', close);
  element.addEventListener('cancel', (event) => {
    event.preventDefault();
    close();
  });
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [...element.querySelectorAll(FOCUSABLE)].filter(
      (node) => /** @type {HTMLElement} */ (node).offsetParent !== null,
    );
    if (focusable.length === 0) return;
    const first = /** @type {HTMLElement} */ (focusable[0]);
    const last = /** @type {HTMLElement} */ (focusable[focusable.length - 1]);
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  document.body.appendChild(element);
  element.showModal();
  queueMicrotask(() => focusFirst(element));
  return { element, body, footer, close };
}

/**
 * Moves focus to the dialog's `[data-autofocus]` element, else its first field, else its first button.
 * @param {HTMLElement} container
 */
export function focusFirst(container) {
  const target =
    container.querySelector('[data-autofocus]') ??
    container.querySelector('.dialog-body input:not([disabled]), .dialog-body select, .dialog-body textarea') ??
    container.querySelector('.dialog-footer button:not([disabled])');
  /** @type {HTMLElement | null} */ (target)?.focus();
}

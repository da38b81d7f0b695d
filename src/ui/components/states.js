import { h } from '../lib/dom.js';

/**
 * A loading placeholder that says what is loading.
 * @param {string} what
 */
export function loadingState(what) {
  return h(
    'div',
    { class: 'loading', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    `Loading ${what}…`,
  );
}

/**
 * An empty state: a title and what to do about it.
 * @param {string} title
 * @param {string} [hint]
 */
export function emptyState(title, hint) {
  return h(
    'div',
    { class: 'empty-state' },
    h('p', { class: 'empty-title' }, title),
    hint ? h('p', { class: 'muted' }, hint) : null,
  );
}

/**
 * An inline error state for a section whose data could not be loaded; a 403 says which scope is missing.
 * @param {unknown} error
 * @param {string} [scope]
 */
export function errorState(error, scope) {
  const status = /** @type {{ status?: number }} */ (error).status;
  const message =
    status === 403 && scope
      ? `This credential does not have the ${scope} scope.`
      : error instanceof Error
        ? error.message
        : String(error);
  return h('div', { class: 'notice notice-error', role: 'alert' }, message);
}

/**
 * A page header: breadcrumbs, the page title (focusable, for focus after navigation), a subtitle and actions.
 * @param {{ title: string, subtitle?: import('../lib/dom.js').Child | import('../lib/dom.js').Child[], crumbs?: [string, string][], actions?: Node[] }} options
 */
export function pageHeader({ title, subtitle, crumbs = [], actions = [] }) {
  return h(
    'div',
    { class: 'page-header' },
    crumbs.length > 0
      ? h(
          'nav',
          { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' },
          h(
            'ol',
            {},
            crumbs.map(([label, href]) => h('li', {}, h('a', { href }, label))),
            h('li', { 'aria-current': 'page' }, title),
          ),
        )
      : null,
    h(
      'div',
      { class: 'page-title-row' },
      h(
        'div',
        { class: 'page-title' },
        h('h1', { tabindex: '-1' }, title),
        subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null,
      ),
      actions.length > 0 ? h('div', { class: 'page-actions' }, actions) : null,
    ),
  );
}

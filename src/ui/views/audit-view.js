import { emptyState, errorState, loadingState, pageHeader } from '../components/states.js';
import { routeHash } from '../lib/context.js';
import { h, replace } from '../lib/dom.js';
import { ACTION_LABELS, formatFullTime, formatTime, shortKid } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').AuditEventResource} AuditEventResource */
/** @typedef {import('../lib/api-types.js').KeySetResource} KeySetResource */

const PAGE_SIZE = 25;

/**
 * `datetime-local` input value (local time) to RFC 3339, and back.
 * @param {string} local
 */
const toIso = (local) => (local ? new Date(local).toISOString() : '');
/** @param {string | null} iso */
const toLocal = (iso) => {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/**
 * The audit log: filters (key set, kid, action, time range) kept in the address so a filtered view
 * can be linked, and paging through the API's `nextBefore` cursor.
 * @param {import('../lib/context.js').AppContext} context
 * @param {HTMLElement} main
 * @param {URLSearchParams} query
 */
export async function renderAuditView(context, main, query) {
  const filters = {
    keySetId: query.get('keySetId') ?? '',
    kid: query.get('kid') ?? '',
    action: query.get('action') ?? '',
    since: query.get('since') ?? '',
    until: query.get('until') ?? '',
    before: query.get('before') ?? '',
  };
  const results = h('div', { class: 'stack' }, loadingState('audit events'));
  const keySetSelect = h(
    'select',
    { id: 'audit-key-set', name: 'keySetId', class: 'input' },
    h('option', { value: '' }, 'All key sets'),
  );
  const kidInput = h('input', {
    id: 'audit-kid',
    name: 'kid',
    class: 'input input-mono',
    type: 'text',
    value: filters.kid,
    spellcheck: 'false',
    placeholder: 'any',
  });
  const actionSelect = h(
    'select',
    { id: 'audit-action', name: 'action', class: 'input' },
    h('option', { value: '' }, 'All actions'),
    Object.entries(ACTION_LABELS).map(([value, label]) =>
      h('option', { value, selected: value === filters.action }, label),
    ),
  );
  const sinceInput = h('input', {
    id: 'audit-since',
    name: 'since',
    class: 'input',
    type: 'datetime-local',
    value: toLocal(filters.since),
  });
  const untilInput = h('input', {
    id: 'audit-until',
    name: 'until',
    class: 'input',
    type: 'datetime-local',
    value: toLocal(filters.until),
  });
  const clear = h('a', { class: 'button button-ghost', href: '#/audit' }, 'Clear');
  const form = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': 'Filter audit events' },
    h('div', { class: 'field' }, h('label', { for: 'audit-key-set' }, 'Key set'), keySetSelect),
    h('div', { class: 'field' }, h('label', { for: 'audit-kid' }, 'Key ID'), kidInput),
    h('div', { class: 'field' }, h('label', { for: 'audit-action' }, 'Action'), actionSelect),
    h('div', { class: 'field' }, h('label', { for: 'audit-since' }, 'From'), sinceInput),
    h('div', { class: 'field' }, h('label', { for: 'audit-until' }, 'Until'), untilInput),
    h(
      'div',
      { class: 'filter-actions' },
      clear,
      h('button', { type: 'submit', class: 'button button-primary' }, 'Apply'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    context.navigate(
      routeHash(['audit'], {
        keySetId: keySetSelect.value,
        kid: kidInput.value.trim(),
        action: actionSelect.value,
        since: toIso(sinceInput.value),
        until: toIso(untilInput.value),
      }),
    );
  });
  replace(
    main,
    pageHeader({
      title: 'Audit log',
      subtitle: 'Every change to keys, policies and credentials, newest first. Append-only.',
    }),
    form,
    results,
  );

  context.api.get('/key-sets').then(
    (r) => {
      for (const keySet of /** @type {{ items: KeySetResource[] }} */ (r).items) {
        keySetSelect.appendChild(
          h(
            'option',
            { value: keySet.id, selected: keySet.id === filters.keySetId },
            `${keySet.alg} · ${keySet.ownerId} · ${keySet.id}`,
          ),
        );
      }
    },
    () => {
      if (filters.keySetId)
        keySetSelect.appendChild(h('option', { value: filters.keySetId, selected: true }, filters.keySetId));
    },
  );

  let page;
  try {
    page = /** @type {{ items: AuditEventResource[], nextBefore: number | null }} */ (
      await context.api.get('/audit-events', {
        keySetId: filters.keySetId,
        kid: filters.kid,
        action: filters.action,
        since: filters.since,
        until: filters.until,
        before: filters.before,
        limit: PAGE_SIZE,
      })
    );
  } catch (error) {
    replace(results, errorState(error, 'audit:read'));
    return;
  }
  const base = {
    keySetId: filters.keySetId,
    kid: filters.kid,
    action: filters.action,
    since: filters.since,
    until: filters.until,
  };
  const filtered = Object.values(base).some(Boolean);
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Audit pages' },
    filters.before ? h('a', { class: 'button button-secondary', href: routeHash(['audit'], base) }, '« Newest') : null,
    page.nextBefore !== null && page.items.length === PAGE_SIZE
      ? h(
          'a',
          {
            class: 'button button-secondary',
            href: routeHash(['audit'], { ...base, before: String(page.nextBefore) }),
            rel: 'next',
          },
          'Older ›',
        )
      : null,
  );
  replace(
    results,
    h(
      'p',
      { class: 'result-count', role: 'status' },
      page.items.length === 0
        ? 'No events.'
        : `Showing ${page.items.length} event${page.items.length === 1 ? '' : 's'}${filtered ? ' matching the filters' : ''}${filters.before ? ' (older page)' : ''}.`,
    ),
    page.items.length === 0
      ? emptyState(
          filtered ? 'No events match these filters' : 'No events yet',
          filtered ? 'Widen the time range or clear a filter.' : undefined,
        )
      : h(
          'div',
          { class: 'table-wrap card card-flush' },
          h(
            'table',
            { class: 'table table-audit table-cards' },
            h('caption', { class: 'visually-hidden' }, 'Audit events'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Time', 'Action', 'Key set', 'Key', 'Change', 'Actor', 'Source'].map((name) =>
                  h('th', { scope: 'col' }, name),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              page.items.map((event) =>
                h(
                  'tr',
                  { 'data-action': event.action, 'data-id': event.id },
                  h(
                    'td',
                    { 'data-label': 'Time' },
                    h('time', { datetime: event.at, title: formatFullTime(event.at) }, formatTime(event.at)),
                  ),
                  h(
                    'td',
                    { 'data-label': 'Action' },
                    ACTION_LABELS[/** @type {keyof typeof ACTION_LABELS} */ (event.action)] ?? event.action,
                  ),
                  h(
                    'td',
                    { 'data-label': 'Key set' },
                    event.keySetId
                      ? h('a', { href: routeHash(['key-sets', event.keySetId]) }, h('code', {}, event.keySetId))
                      : '—',
                  ),
                  h(
                    'td',
                    { 'data-label': 'Key' },
                    event.kid ? h('code', { title: event.kid }, shortKid(event.kid)) : '—',
                  ),
                  h(
                    'td',
                    { 'data-label': 'Change' },
                    event.toState
                      ? [
                          event.fromState
                            ? h('span', { class: `badge badge-${event.fromState}` }, event.fromState)
                            : null,
                          event.fromState ? ' → ' : '',
                          h('span', { class: `badge badge-${event.toState}` }, event.toState),
                        ]
                      : '—',
                  ),
                  h(
                    'td',
                    { 'data-label': 'Actor' },
                    h('span', { class: 'actor' }, event.actor.type),
                    ' ',
                    h('code', {}, event.actor.id),
                  ),
                  h(
                    'td',
                    { 'data-label': 'Source' },
                    event.sourceIp ?? '—',
                    event.requestId
                      ? h('span', { class: 'cell-sub', title: `request ${event.requestId}` }, shortKid(event.requestId))
                      : null,
                  ),
                ),
              ),
            ),
          ),
        ),
    pager,
  );
}

import { emptyState, errorState, loadingState, pageHeader } from '../components/states.js';
import { h, replace } from '../lib/dom.js';
import { formatFullTime, formatRelative } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').TenantResource} TenantResource */

/**
 * Every tenant (for a credential with tenants:read). Each tenant has its own dashboard, signed in
 * with that tenant's own credential: a credential acts on its own tenant only.
 * @param {import('../lib/context.js').AppContext} context
 * @param {HTMLElement} main
 */
export async function renderTenantsView(context, main) {
  const body = h('div', {}, loadingState('tenants'));
  replace(
    main,
    pageHeader({ title: 'Tenants', subtitle: 'Each tenant has its own keys, credentials and dashboard.' }),
    body,
  );
  let tenants;
  try {
    tenants = /** @type {{ items: TenantResource[] }} */ (await context.api.get('/tenants')).items;
  } catch (error) {
    replace(body, errorState(error, 'tenants:read'));
    return;
  }
  const now = Date.now();
  // From `{root}/ui/`, a tenant's dashboard is `{root}/t/{id}/ui/`.
  const dashboard = (/** @type {string} */ id) =>
    id === context.tenantId ? '#/' : new URL(`../t/${encodeURIComponent(id)}/ui/`, location.href).pathname;
  replace(
    body,
    tenants.length === 0
      ? emptyState('No tenants')
      : h(
          'div',
          { class: 'table-wrap card card-flush' },
          h(
            'table',
            { class: 'table table-cards' },
            h('caption', { class: 'visually-hidden' }, 'Tenants'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Tenant', 'ID', 'Host names', 'Created', ''].map((name) =>
                  h('th', { scope: 'col' }, name || h('span', { class: 'visually-hidden' }, 'Dashboard')),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              tenants.map((tenant) =>
                h(
                  'tr',
                  { 'data-tenant': tenant.id },
                  h(
                    'td',
                    { 'data-label': 'Tenant' },
                    h('strong', {}, tenant.displayName),
                    tenant.id === context.tenantId ? h('span', { class: 'tag tag-accent' }, 'this tenant') : null,
                  ),
                  h('td', { 'data-label': 'ID' }, h('code', {}, tenant.id)),
                  h(
                    'td',
                    { 'data-label': 'Host names' },
                    tenant.hostNames.length > 0 ? tenant.hostNames.join(', ') : h('span', { class: 'muted' }, '—'),
                  ),
                  h(
                    'td',
                    { 'data-label': 'Created' },
                    h(
                      'time',
                      { datetime: tenant.createdAt, title: formatFullTime(tenant.createdAt) },
                      formatRelative(tenant.createdAt, now),
                    ),
                  ),
                  h(
                    'td',
                    { class: 'cell-actions' },
                    h(
                      'a',
                      { class: 'button button-secondary button-small', href: dashboard(tenant.id) },
                      'Open dashboard',
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

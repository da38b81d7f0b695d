import { announce } from './components/announcer.js';
import { createApi } from './lib/api.js';
import { parseRoute } from './lib/context.js';
import { h, replace } from './lib/dom.js';
import { createSessionStore } from './lib/session.js';
import { renderAuditView } from './views/audit-view.js';
import { renderCredentialsView } from './views/credentials-view.js';
import { renderKeySetView } from './views/key-set-view.js';
import { renderOverviewView } from './views/overview-view.js';
import { renderSignInView } from './views/sign-in-view.js';
import { renderTenantsView } from './views/tenants-view.js';
import { renderWebhookDeliveriesView } from './views/webhook-deliveries-view.js';
import { renderWebhooksView } from './views/webhooks-view.js';

/** @param {string} name */
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

// The page lives at `{tenant base}/ui/`; the API and the token endpoint are its siblings, so
// relative URLs work at `/`, under `/t/{tenant}`, on a claimed host and behind a path prefix.
const apiBase = new URL('../signet/v1', location.href).pathname;
const tokenEndpoint = new URL('../oauth/token', location.href).pathname;
const tenantId = meta('signet-tenant');
const sessions = createSessionStore(tenantId);
const root = /** @type {HTMLElement} */ (document.getElementById('app'));

/** @type {string | null} why the last session ended, shown on the sign-in page */
let signedOutReason = null;
let signingOut = false;

const api = createApi({
  baseUrl: apiBase,
  token: () => sessions.load()?.token ?? null,
  // Several calls may fail at once when a session ends: the first one signs out.
  onUnauthenticated: () => {
    if (signingOut) return;
    signingOut = true;
    sessions.clear();
    signedOutReason = 'Your session has ended or the credential is no longer valid. Sign in again.';
    queueMicrotask(() => {
      signingOut = false;
      render();
    });
  },
});

/** @type {import('./lib/context.js').AppContext} */
const context = {
  api,
  tenantId,
  tenantName: meta('signet-tenant-name') || tenantId,
  isRootTenant: meta('signet-root-tenant') === 'true',
  tokenEndpoint,
  navigate: (hash) => {
    if (location.hash === hash) render();
    else location.hash = hash;
  },
  rerender: () => render(),
};

/** Whether this credential may list tenants; learnt once per session. */
let canListTenants = /** @type {boolean | null} */ (null);

const NAV = /** @type {const} */ ([
  ['', 'Overview'],
  ['audit', 'Audit log'],
  ['credentials', 'API credentials'],
  ['webhooks', 'Webhooks'],
  ['tenants', 'Tenants'],
]);

/** @param {string} current the first route segment */
function renderShell(current) {
  const session = sessions.load();
  const links = NAV.filter(([path]) => path !== 'tenants' || canListTenants).map(([path, label]) => {
    const active = current === path || (path === '' && current === 'key-sets');
    return h(
      'a',
      { href: `#/${path}`, class: `nav-link${active ? ' is-current' : ''}`, 'aria-current': active ? 'page' : null },
      label,
    );
  });
  const signOut = h('button', { type: 'button', class: 'button button-ghost button-small' }, 'Sign out');
  signOut.addEventListener('click', () => {
    sessions.clear();
    canListTenants = null;
    signedOutReason = null;
    announce('Signed out', 'info');
    history.replaceState(null, '', location.pathname);
    render();
  });
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const header = h(
    'header',
    { class: 'topbar' },
    h(
      'div',
      { class: 'topbar-inner' },
      h(
        'a',
        { class: 'brand', href: '#/' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
        h('span', { class: 'brand-name' }, 'Signet'),
      ),
      h(
        'span',
        { class: 'tenant-chip', title: `Tenant ${tenantId}` },
        h('span', { class: 'visually-hidden' }, 'Tenant: '),
        context.tenantName,
      ),
      h('nav', { class: 'nav', 'aria-label': 'Main' }, links),
      h(
        'div',
        { class: 'account' },
        h(
          'span',
          {
            class: 'account-label',
            title: session?.kind === 'client' ? 'Signed in as API client' : 'Signed in with an API token',
          },
          session?.kind === 'client' ? 'Client ' : 'Token ',
          h('code', {}, session?.label ?? ''),
        ),
        signOut,
      ),
    ),
  );
  replace(root, header, main, h('footer', { class: 'footer' }, 'Signet · signing keys, rotated safely'));
  return main;
}

let renderCount = 0;

/** Renders the current route (or the sign-in page). */
async function render() {
  renderCount += 1;
  const thisRender = renderCount;
  const session = sessions.load();
  if (!session) {
    canListTenants = null;
    const main = h('main', { id: 'main', class: 'main main-centered', tabindex: '-1' });
    replace(root, main);
    renderSignInView(context, main, {
      reason: signedOutReason,
      onSignedIn: (newSession) => {
        sessions.save(newSession);
        signedOutReason = null;
        announce('Signed in', 'success');
        render();
      },
    });
    return;
  }
  const route = parseRoute(location.hash);
  const [first = '', second] = route.segments;
  if (canListTenants === null) {
    canListTenants = await api.get('/tenants').then(
      () => true,
      () => false,
    );
    if (thisRender !== renderCount) return;
  }
  const main = renderShell(first);
  const focusHeading = () => /** @type {HTMLElement | null} */ (main.querySelector('h1'))?.focus();
  try {
    if (first === 'key-sets' && second) await renderKeySetView(context, main, second);
    else if (first === 'audit') await renderAuditView(context, main, route.query);
    else if (first === 'credentials') await renderCredentialsView(context, main);
    else if (first === 'tenants') await renderTenantsView(context, main);
    else if (first === 'webhooks' && second) await renderWebhookDeliveriesView(context, main, second);
    else if (first === 'webhooks') await renderWebhooksView(context, main);
    else await renderOverviewView(context, main);
  } catch (error) {
    replace(main, errorPanel(error));
  }
  if (thisRender !== renderCount) return;
  document.title = `${main.querySelector('h1')?.textContent ?? 'Signet'} · Signet · ${context.tenantName}`;
  if (navigatedByUser) focusHeading();
  navigatedByUser = false;
}

/**
 * A full-page error state.
 * @param {unknown} error
 */
function errorPanel(error) {
  const message = error instanceof Error ? error.message : String(error);
  const retry = h('button', { type: 'button', class: 'button button-secondary' }, 'Try again');
  retry.addEventListener('click', () => render());
  return h(
    'section',
    { class: 'empty-state empty-error', role: 'alert' },
    h('h1', { tabindex: '-1' }, 'Something went wrong'),
    h('p', {}, message),
    retry,
  );
}

let navigatedByUser = false;
window.addEventListener('hashchange', () => {
  navigatedByUser = true;
  render();
});
document.getElementById('skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main')?.focus();
});
render();

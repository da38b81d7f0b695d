import { errorState, emptyState } from '../components/states.js';
import { h, replace, svg } from '../lib/dom.js';
import { formatFullTime, shortKid } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').KeySetResource} KeySetResource */
/** @typedef {import('../lib/api-types.js').AuditEventResource} AuditEventResource */
/** @typedef {import('../lib/api-types.js').ClientResource} ClientResource */
/** @typedef {import('../lib/api-types.js').ApiTokenResource} ApiTokenResource */

const HOUR_MS = 3_600_000;
const HOURS = 24;
const BAR_WIDTH = 10;
const CHART_HEIGHT = 32;
// One event per kid, credential and minute: 20 pages hold 20,000, beyond what a page should chart.
const MAX_PAGES = 20;

/**
 * The key set's accountability card (docs/spec.md §7): signatures per kid over the last 24 hours,
 * summed from the `key.signatures` audit events every instance flushes, and the credentials that
 * may sign with the key set (API tokens holding tokens:sign for its server, the token endpoint's clients).
 * @param {{ api: import('../lib/api.js').Api, keySet: KeySetResource }} options
 */
export function signaturesCard({ api, keySet }) {
  const chart = h('div', {});
  const signers = h('div', {});
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'signatures-title', 'data-section': 'signatures' },
    h(
      'div',
      { class: 'card-head' },
      h('h2', { id: 'signatures-title' }, 'Signatures'),
      h(
        'p',
        { class: 'muted' },
        'Tokens signed per key over the last 24 hours, per hour, from the counts each instance writes to the audit log every flush interval.',
      ),
    ),
    chart,
    h('h3', {}, 'Credentials that may sign'),
    signers,
  );

  /** Loads the counts and the credentials again (after a change or a refresh). */
  async function load() {
    const now = Date.now();
    const since = new Date(Math.floor(now / HOUR_MS) * HOUR_MS - (HOURS - 1) * HOUR_MS);
    const [events, tokens, clients] = await Promise.all([
      summaries(api, keySet.id, since).catch((error) => error),
      api.get('/api-tokens').then(
        (r) => /** @type {{ items: ApiTokenResource[] }} */ (r).items,
        (error) => error,
      ),
      api.get('/clients').then(
        (r) => /** @type {{ items: ClientResource[] }} */ (r).items,
        (error) => error,
      ),
    ]);
    replace(chart, Array.isArray(events) ? perKid(events, since.getTime()) : errorState(events, 'audit:read'));
    replace(signers, maySign(keySet, tokens, clients));
  }
  return { element, load };
}

/**
 * The `key.signatures` events of the key set since `since`, every page (at most `MAX_PAGES`).
 * @param {import('../lib/api.js').Api} api
 * @param {string} keySetId
 * @param {Date} since
 */
async function summaries(api, keySetId, since) {
  /** @type {AuditEventResource[]} */
  const events = [];
  /** @type {number | null} */
  let before = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = { keySetId, action: 'key.signatures', since: since.toISOString(), limit: 1000, before };
    const answer = /** @type {{ items: AuditEventResource[], nextBefore: number | null }} */ (
      await api.get('/audit-events', query)
    );
    events.push(...answer.items);
    before = answer.nextBefore;
    if (before === null) break;
  }
  return events;
}

/**
 * One row per kid: the total and a bar per hour (each bar's title gives its hour and count).
 * @param {AuditEventResource[]} events
 * @param {number} since
 */
function perKid(events, since) {
  /** @type {Map<string, number[]>} */
  const byKid = new Map();
  for (const event of events) {
    const count = Number(event.details.count);
    const hour = Math.floor((Date.parse(String(event.details.lastAt ?? event.at)) - since) / HOUR_MS);
    if (!event.kid || !Number.isFinite(count) || hour < 0 || hour >= HOURS) continue;
    const hours = byKid.get(event.kid) ?? Array.from({ length: HOURS }, () => 0);
    hours[hour] = (hours[hour] ?? 0) + count;
    byKid.set(event.kid, hours);
  }
  if (byKid.size === 0) return emptyState('No signatures counted in the last 24 hours');
  const peak = Math.max(...[...byKid.values()].flat());
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table' },
      h('caption', { class: 'visually-hidden' }, 'Signatures per key, last 24 hours'),
      h('thead', {}, h('tr', {}, h('th', {}, 'Key ID'), h('th', {}, 'Tokens'), h('th', {}, 'Per hour'))),
      h(
        'tbody',
        {},
        [...byKid].map(([kid, hours]) => {
          const total = hours.reduce((sum, count) => sum + count, 0);
          return h(
            'tr',
            { 'data-kid': kid, 'data-total': String(total) },
            h('td', {}, h('code', { title: kid }, shortKid(kid))),
            h('td', {}, String(total)),
            h('td', {}, bars(hours, peak, since)),
          );
        }),
      ),
    ),
  );
}

/**
 * @param {number[]} hours
 * @param {number} peak
 * @param {number} since
 */
function bars(hours, peak, since) {
  const chart = svg('svg', {
    class: 'signature-bars',
    width: HOURS * BAR_WIDTH,
    height: CHART_HEIGHT,
    viewBox: `0 0 ${HOURS * BAR_WIDTH} ${CHART_HEIGHT}`,
    role: 'img',
    'aria-label': `${hours.filter((count) => count > 0).length} of the last 24 hours with signatures`,
  });
  hours.forEach((count, i) => {
    const height = count === 0 ? 1 : Math.max(2, Math.round((count / peak) * CHART_HEIGHT));
    const bar = svg('rect', {
      class: count === 0 ? 'bar bar-empty' : 'bar',
      x: i * BAR_WIDTH + 1,
      y: CHART_HEIGHT - height,
      width: BAR_WIDTH - 2,
      height,
    });
    bar.appendChild(svg('title', {}, `${formatFullTime(new Date(since + i * HOUR_MS).toISOString())}: ${count}`));
    chart.appendChild(bar);
  });
  return chart;
}

/**
 * API tokens with tokens:sign for this key set's server, and every client of the token endpoint.
 * @param {KeySetResource} keySet
 * @param {ApiTokenResource[] | unknown} tokens
 * @param {ClientResource[] | unknown} clients
 */
function maySign(keySet, tokens, clients) {
  if (keySet.ownerType !== 'authorizationServer')
    return h('p', { class: 'muted' }, "Only Signet signs with an identity provider's keys.");
  if (!Array.isArray(tokens)) return errorState(tokens, 'clients:read');
  if (!Array.isArray(clients)) return errorState(clients, 'clients:read');
  const serves = (/** @type {{ authorizationServerIds: string[] | null }} */ credential) =>
    credential.authorizationServerIds === null || credential.authorizationServerIds.includes(keySet.ownerId);
  const rows = [
    ...tokens
      .filter((token) => token.scopes.includes('tokens:sign') && serves(token))
      .map((token) => /** @type {const} */ ([token.id, token.name, 'API token', 'signing API'])),
    ...clients.map((client) => {
      const api = client.scopes.includes('tokens:sign') && serves(client);
      return /** @type {const} */ ([
        client.clientId,
        client.name,
        'client',
        api ? 'token endpoint, signing API' : 'token endpoint',
      ]);
    }),
  ];
  if (rows.length === 0) return emptyState('No credential may sign');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table' },
      h('caption', { class: 'visually-hidden' }, 'Credentials that may sign'),
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'Credential'), h('th', {}, 'Name'), h('th', {}, 'Kind'), h('th', {}, 'Signs through')),
      ),
      h(
        'tbody',
        {},
        rows.map(([id, name, kind, through]) =>
          h(
            'tr',
            { 'data-credential': id },
            h('td', {}, h('code', {}, id)),
            h('td', {}, name),
            h('td', {}, kind),
            h('td', {}, through),
          ),
        ),
      ),
    ),
  );
}

import { tag } from '../components/badges.js';
import { emptyState } from '../components/states.js';
import { h } from '../lib/dom.js';
import { formatDuration, formatFullTime, formatRelative } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').ReadinessResource} ReadinessResource */

/**
 * The readiness gate of the policy and whether a plain rotation would pass it now.
 * @param {ReadinessResource} readiness
 */
function gateLine(readiness) {
  const { gate } = readiness;
  if (gate.reason === 'disabled')
    return h(
      'p',
      { class: 'hint readiness-gate', 'data-gate': 'disabled' },
      'No readiness gate: AUTO rotation follows the timing rules alone (set one in the rotation policy).',
    );
  return h(
    'p',
    { class: 'readiness-gate', 'data-gate': gate.open ? 'open' : 'closed' },
    tag(gate.open ? 'gate open' : 'gate closed', gate.open ? 'accent' : 'warning'),
    ` AUTO rotation and a plain rotate wait until ${gate.requiredPercent}% of these consumers hold the next key.`,
  );
}

/**
 * Verifier readiness of a key set: how many JWKS consumers seen in the window hold the next key,
 * and each one's state, last fetch and observed fetch interval (lagging consumers say since when).
 * @param {ReadinessResource} readiness
 * @param {number} now
 */
export function readinessPanel(readiness, now) {
  if (readiness.consumerCount === 0)
    return h(
      'div',
      {},
      emptyState(
        'No JWKS consumer seen yet',
        `Verifiers that fetch the JWKS appear here (name yours with ?consumer=NAME or a Signet-Consumer header); the window is ${formatDuration(readiness.windowSeconds)}.`,
      ),
      gateLine(readiness),
    );
  const lagging = readiness.consumerCount - readiness.readyCount;
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'readiness-summary', 'data-readiness': lagging === 0 ? 'ready' : 'lagging' },
      h('strong', {}, `${readiness.readyCount} of ${readiness.consumerCount}`),
      ` consumers seen in the last ${formatDuration(readiness.windowSeconds)} hold the next key`,
      lagging > 0 ? `; ${lagging} lag.` : '.',
    ),
    gateLine(readiness),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table-cards table-readiness' },
        h('caption', { class: 'visually-hidden' }, 'JWKS consumers'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Consumer', 'Address', 'User-Agent', 'Next key', 'Last fetch', 'Fetches every'].map((name) =>
              h('th', { scope: 'col' }, name),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          readiness.consumers.map((consumer) =>
            h(
              'tr',
              { 'data-consumer': consumer.name ?? consumer.userAgent, 'data-ready': String(consumer.ready) },
              h('td', { 'data-label': 'Consumer' }, consumer.name ?? h('span', { class: 'muted' }, 'unnamed')),
              h('td', { 'data-label': 'Address' }, h('code', {}, consumer.address)),
              h('td', { 'data-label': 'User-Agent' }, consumer.userAgent || h('span', { class: 'muted' }, 'none')),
              h(
                'td',
                { 'data-label': 'Next key' },
                consumer.ready
                  ? tag('ready', 'accent')
                  : [
                      tag('lagging', 'warning'),
                      consumer.laggingSince
                        ? h(
                            'span',
                            { class: 'hint' },
                            ` since ${formatRelative(Date.parse(consumer.laggingSince), now)}`,
                          )
                        : null,
                    ],
              ),
              h(
                'td',
                { 'data-label': 'Last fetch', title: formatFullTime(Date.parse(consumer.lastFetchAt)) },
                formatRelative(Date.parse(consumer.lastFetchAt), now),
              ),
              h(
                'td',
                { 'data-label': 'Fetches every' },
                consumer.observedIntervalSeconds === null ? '—' : formatDuration(consumer.observedIntervalSeconds),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

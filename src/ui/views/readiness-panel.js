import { tag } from '../components/badges.js';
import { emptyState } from '../components/states.js';
import { h } from '../lib/dom.js';
import { formatDuration, formatFullTime, formatRelative } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').ReadinessResource} ReadinessResource */

/**
 * Verifier readiness of a key set: how many JWKS consumers seen in the window hold the next key,
 * and each one's state, last fetch and observed fetch interval (lagging consumers say since when).
 * @param {ReadinessResource} readiness
 * @param {number} now
 */
export function readinessPanel(readiness, now) {
  if (readiness.consumerCount === 0)
    return emptyState(
      'No JWKS consumer seen yet',
      `Verifiers that fetch the JWKS appear here (name yours with ?consumer=NAME or a Signet-Consumer header); the window is ${formatDuration(readiness.windowSeconds)}.`,
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

import { tag } from '../components/badges.js';
import { h, replace } from '../lib/dom.js';
import { formatDuration, formatFullTime } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').SimulationResource} SimulationResource */
/** @typedef {SimulationResource['verifiers'][number]['rejectsValidTokens']} ExposureWindow */
/** @typedef {SimulationResource['consumers'][number]} ObservedConsumer */
/** @typedef {import('../lib/api.js').Api} Api */

/** How the page names each modelled library. */
const LIBRARY_NAMES = /** @type {const} */ ({
  jose: 'jose (Node.js)',
  'jwks-rsa': 'jwks-rsa (Node.js)',
  pyjwt: 'PyJWT',
  'microsoft-identitymodel': 'Microsoft.IdentityModel (.NET)',
  'spring-nimbus': 'Spring Security / Nimbus',
  'go-oidc': 'go-oidc',
  'cache-control': 'honours Cache-Control',
});

/**
 * One window as a cell: "no", or how long from the action and until when.
 * @param {ExposureWindow} window
 */
function windowCell(window) {
  if (window === null) return h('td', { 'data-window': 'none' }, h('span', { class: 'muted' }, 'no'));
  if (window.until === null) return h('td', { 'data-window': 'open' }, h('strong', {}, 'until the verifier restarts'));
  const seconds = (Date.parse(window.until) - Date.parse(window.from)) / 1000;
  return h(
    'td',
    { 'data-window': 'bounded', title: `${formatFullTime(window.from)} – ${formatFullTime(window.until)}` },
    h('strong', {}, `for ${formatDuration(seconds)}`),
  );
}

/**
 * The JWKS consumers verifier readiness has seen, each with the model its User-Agent matches (whose
 * row above is its verdict) and whether it already holds the next key.
 * @param {ObservedConsumer[]} consumers
 */
function observedConsumers(consumers) {
  const title = h('h3', { class: 'dialog-subtitle' }, 'Consumers seen fetching the JWKS');
  if (consumers.length === 0)
    return h(
      'section',
      { class: 'observed-consumers', 'data-consumers': '0' },
      title,
      h('p', { class: 'muted' }, 'No JWKS consumer seen in the readiness window.'),
    );
  const lagging = consumers.filter((consumer) => !consumer.ready).length;
  return h(
    'section',
    { class: 'observed-consumers', 'data-consumers': String(consumers.length) },
    title,
    h(
      'p',
      { class: lagging > 0 ? 'notice notice-warning' : 'muted' },
      lagging > 0
        ? `${lagging} of ${consumers.length} have not fetched the next key yet.`
        : `All ${consumers.length} hold the next key.`,
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table-compact table-consumers' },
        h('caption', { class: 'visually-hidden' }, 'Observed JWKS consumers and their matched verifier model'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Consumer', 'User-Agent', 'Model', 'Next key'].map((name) => h('th', { scope: 'col' }, name)),
          ),
        ),
        h(
          'tbody',
          {},
          consumers.map((consumer) =>
            h(
              'tr',
              {
                'data-consumer': consumer.name ?? consumer.address,
                'data-ready': String(consumer.ready),
                'data-model': consumer.library ?? 'none',
              },
              h(
                'td',
                {},
                consumer.name
                  ? [h('strong', {}, consumer.name), ' ', h('code', { class: 'muted' }, consumer.address)]
                  : h('code', {}, consumer.address),
              ),
              h('td', {}, consumer.userAgent || h('span', { class: 'muted' }, 'none')),
              h(
                'td',
                {},
                consumer.library
                  ? (LIBRARY_NAMES[/** @type {keyof typeof LIBRARY_NAMES} */ (consumer.library)] ?? consumer.library)
                  : h('span', { class: 'muted' }, 'no model matches'),
              ),
              h('td', {}, consumer.ready ? tag('ready', 'accent') : tag('lagging', 'warning')),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * What an action would do to the JWKS caches of common verifier libraries, from the API's
 * simulator (`GET /key-sets/{id}/simulation`): filled in when the answer arrives, worst case per
 * library, and the observed consumers matched to those libraries. The dialog works the same without it.
 * @param {{ api: Api, keySetId: string, action: 'rotate' | 'emergency-rotate' | 'revoke', kid?: string }} options
 * @returns {HTMLElement}
 */
export function simulationPanel({ api, keySetId, action, kid }) {
  const status = h('p', { class: 'muted' }, 'Simulating the JWKS caches of verifier libraries…');
  const panel = h(
    'section',
    { class: 'simulation', 'data-simulation': 'loading', 'aria-live': 'polite' },
    h('h3', { class: 'dialog-subtitle' }, 'Verifier libraries, if this happens now'),
    status,
  );
  api
    .get(`/key-sets/${encodeURIComponent(keySetId)}/simulation`, { action, kid })
    .then((answer) => {
      const result = /** @type {SimulationResource} */ (answer);
      const refusing = result.verifiers.filter((verdict) => verdict.rejectsValidTokens !== null).length;
      const trusting = result.verifiers.filter((verdict) => verdict.acceptsRevokedKey !== null).length;
      replace(
        panel,
        h('h3', { class: 'dialog-subtitle' }, 'Verifier libraries, if this happens now'),
        h(
          'p',
          { class: refusing > 0 ? 'notice notice-warning' : 'muted' },
          refusing > 0
            ? `${refusing} of ${result.verifiers.length} may refuse valid tokens for a while (worst case of when they last fetched the JWKS).`
            : 'None refuses valid tokens.',
          trusting > 0 ? ` ${trusting} may still accept the revoked key for a while.` : '',
        ),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table table-compact table-simulation' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Library'),
                h('th', {}, 'Refuses valid tokens'),
                h('th', {}, 'Accepts revoked key'),
              ),
            ),
            h(
              'tbody',
              {},
              result.verifiers.map((verdict) =>
                h(
                  'tr',
                  { 'data-library': verdict.library },
                  h('td', { title: verdict.model }, LIBRARY_NAMES[verdict.library]),
                  windowCell(verdict.rejectsValidTokens),
                  windowCell(verdict.acceptsRevokedKey),
                ),
              ),
            ),
          ),
        ),
        observedConsumers(result.consumers),
      );
      panel.setAttribute('data-simulation', 'ready');
    })
    .catch((error) => {
      replace(status, `The simulation is unavailable: ${error instanceof Error ? error.message : String(error)}`);
      panel.setAttribute('data-simulation', 'failed');
    });
  return panel;
}

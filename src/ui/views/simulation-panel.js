import { h, replace } from '../lib/dom.js';
import { formatDuration, formatFullTime } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').SimulationResource} SimulationResource */
/** @typedef {SimulationResource['verifiers'][number]['rejectsValidTokens']} ExposureWindow */
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
 * What an action would do to the JWKS caches of common verifier libraries, from the API's
 * simulator (`GET /key-sets/{id}/simulation`): filled in when the answer arrives, worst case per
 * library. The dialog works the same without it.
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
      );
      panel.setAttribute('data-simulation', 'ready');
    })
    .catch((error) => {
      replace(status, `The simulation is unavailable: ${error instanceof Error ? error.message : String(error)}`);
      panel.setAttribute('data-simulation', 'failed');
    });
  return panel;
}

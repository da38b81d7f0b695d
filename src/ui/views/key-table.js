import { stateBadge } from '../components/badges.js';
import { copyButton } from '../components/copy-button.js';
import { h } from '../lib/dom.js';
import { formatFullTime, formatRelative, formatTime, toMs } from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').KeyResource} KeyResource */

/**
 * @param {string | null} iso
 * @param {number} now
 */
function timeCell(iso, now) {
  if (!iso) return h('span', { class: 'muted', 'aria-label': 'none' }, '—');
  return h(
    'time',
    { datetime: iso, title: formatFullTime(iso) },
    formatTime(iso),
    h('span', { class: 'cell-sub' }, formatRelative(iso, now)),
  );
}

/**
 * The keys of a key set as a table (cards at phone width): state, kid, algorithm, every lifecycle
 * time and the certificate's expiry; next and draining keys get a Revoke button.
 * @param {{ keys: KeyResource[], now: number, caption: string, onRevoke?: (key: KeyResource, button: HTMLButtonElement) => void }} options
 */
export function keyTable({ keys, now, caption, onRevoke }) {
  const columns = [
    'State',
    'Key ID',
    'Algorithm',
    'Created',
    'Activated',
    'Draining since',
    'Retires',
    'Certificate expires',
    '',
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table table-keys table-cards' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((name) =>
            h('th', { scope: 'col' }, name ? name : h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        keys.map((key) => {
          const revocable = key.state === 'next' || key.state === 'draining';
          const revoke =
            revocable && onRevoke
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-danger-ghost button-small',
                    'data-action': 'revoke',
                    'aria-label': `Revoke ${key.state} key ${key.kid}`,
                  },
                  'Revoke',
                )
              : null;
          if (revoke) revoke.addEventListener('click', () => onRevoke?.(key, revoke));
          const certExpiry = toMs(key.certificate.notAfter);
          const certSoon = certExpiry - now < 30 * 86_400_000;
          return h(
            'tr',
            { 'data-kid': key.kid, 'data-state': key.state },
            h('td', { 'data-label': 'State' }, stateBadge(key.state)),
            h(
              'td',
              { 'data-label': 'Key ID' },
              h(
                'span',
                { class: 'cell-kid' },
                h('code', { class: 'kid', title: key.kid }, key.kid),
                copyButton(key.kid, 'key ID', { compact: true }),
              ),
            ),
            h(
              'td',
              { 'data-label': 'Algorithm' },
              key.alg,
              key.origin === 'imported' ? h('span', { class: 'cell-sub' }, 'imported') : null,
            ),
            h('td', { 'data-label': 'Created' }, timeCell(key.createdAt, now)),
            h('td', { 'data-label': 'Activated' }, timeCell(key.activatedAt, now)),
            h('td', { 'data-label': 'Draining since' }, timeCell(key.drainingSince, now)),
            h(
              'td',
              { 'data-label': 'Retires' },
              timeCell(key.state === 'revoked' ? key.revokedAt : (key.retiredAt ?? key.retireAt), now),
              key.state === 'revoked' ? h('span', { class: 'cell-sub' }, 'revoked') : null,
            ),
            h(
              'td',
              { 'data-label': 'Certificate expires', class: certSoon ? 'cell-warning' : '' },
              timeCell(key.certificate.notAfter, now),
            ),
            h('td', { class: 'cell-actions' }, revoke),
          );
        }),
      ),
    ),
  );
}

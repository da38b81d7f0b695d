import { h } from '../lib/dom.js';

/** What each key state means, for tooltips and screen readers (docs/spec.md §2). */
export const STATE_DESCRIPTIONS = /** @type {const} */ ({
  next: 'published in the JWKS, not signing yet',
  active: 'signing new tokens',
  draining: 'no longer signing, still published so its tokens verify',
  retired: 'removed from the JWKS',
  revoked: 'removed from the JWKS at once',
});

/**
 * A coloured badge for a key state.
 * @param {keyof typeof STATE_DESCRIPTIONS} state
 */
export function stateBadge(state) {
  return h('span', { class: `badge badge-${state}`, title: STATE_DESCRIPTIONS[state] }, state);
}

/**
 * A neutral tag (mode, scope, algorithm).
 * @param {string} text
 * @param {string} [variant]
 */
export function tag(text, variant = 'neutral') {
  return h('span', { class: `tag tag-${variant}` }, text);
}

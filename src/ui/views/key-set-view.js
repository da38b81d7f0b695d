import { stateBadge, tag } from '../components/badges.js';
import { emptyState, errorState, loadingState, pageHeader } from '../components/states.js';
import { routeHash } from '../lib/context.js';
import { h, replace } from '../lib/dom.js';
import {
  ACTION_LABELS,
  custodyLabel,
  formatDuration,
  formatFullTime,
  formatRelative,
  formatTime,
  shortKid,
  toMs,
  TRANSITION_LABELS,
} from '../lib/format.js';
import { openEmergencyRotateDialog, openRevokeDialog, openRotateDialog } from './key-actions.js';
import { keyTable } from './key-table.js';
import { policyForm } from './policy-form.js';
import { signaturesCard } from './signatures-card.js';
import { readinessPanel } from './readiness-panel.js';
import { renderTimeline } from './timeline.js';

/** @typedef {import('../lib/api-types.js').KeyResource} KeyResource */
/** @typedef {import('../lib/api-types.js').KeySetResource} KeySetResource */
/** @typedef {import('../lib/api-types.js').AuditEventResource} AuditEventResource */
/** @typedef {import('../lib/api-types.js').TransitionResource} TransitionResource */

/**
 * The key set page: safety at a glance, the lifecycle timeline, the keys, the signatures per kid
 * and who may sign, the actions (rotate, revoke, emergency rotate), the rotation policy and recent activity.
 * @param {import('../lib/context.js').AppContext} context
 * @param {HTMLElement} main
 * @param {string} keySetId
 */
export async function renderKeySetView(context, main, keySetId) {
  const { api } = context;
  const path = `/key-sets/${encodeURIComponent(keySetId)}`;
  replace(main, loadingState('the key set'));
  let keySet = /** @type {KeySetResource} */ (await api.get(path));

  const rotate = h('button', { type: 'button', class: 'button button-primary', 'data-action': 'rotate' }, 'Rotate…');
  const emergency = h(
    'button',
    { type: 'button', class: 'button button-danger-outline', 'data-action': 'emergency-rotate' },
    'Emergency rotate…',
  );
  const status = h('div', { class: 'status-region', 'aria-live': 'polite' });
  const timelineSection = h('div', {});
  const keysSection = h('div', {});
  const readinessSection = h('div', {});
  const activitySection = h('div', {});
  const signatures = signaturesCard({ api, keySet });
  const policySection = h('div', {});
  // The scheduler moves keys on its own; the page shows when it last looked.
  const updated = h('span', { class: 'muted' });
  const reload = h('button', { type: 'button', class: 'button button-ghost button-small' }, 'Refresh');
  reload.addEventListener('click', async () => {
    keySet = /** @type {KeySetResource} */ (await api.get(path));
    await refresh();
  });

  const modeTag = h('span', {});
  const owner = keySet.ownerType === 'authorizationServer' ? 'authorization server' : 'identity provider';
  replace(
    main,
    pageHeader({
      title: `${keySet.alg} key set`,
      subtitle: [
        h('code', {}, keySet.id),
        ` · ${owner} `,
        h('strong', {}, keySet.ownerId),
        ' · ',
        modeTag,
        ' ',
        tag(custodyLabel(keySet.custody)),
      ],
      crumbs: [['Overview', '#/']],
      actions: [emergency, rotate],
    }),
    status,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'timeline-title' },
      h(
        'div',
        { class: 'card-head card-head-row' },
        h(
          'div',
          {},
          h('h2', { id: 'timeline-title' }, 'Lifecycle timeline'),
          h('p', { class: 'muted' }, 'Past transitions from the audit log, planned ones from the rotation plan.'),
        ),
        h('div', { class: 'refresh' }, updated, reload),
      ),
      timelineSection,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'keys-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'keys-title', tabindex: '-1' }, 'Keys')),
      keysSection,
    ),
    signatures.element,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'readiness-title' },
      h(
        'div',
        { class: 'card-head' },
        h('h2', { id: 'readiness-title' }, 'Verifier readiness'),
        h(
          'p',
          { class: 'muted' },
          'Who fetched the JWKS, and who already holds the next key: every instance reports the same.',
        ),
      ),
      readinessSection,
    ),
    h(
      'div',
      { class: 'two-columns' },
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'policy-title' },
        h(
          'div',
          { class: 'card-head' },
          h('h2', { id: 'policy-title' }, 'Rotation policy'),
          h(
            'p',
            { class: 'muted' },
            'Signet refuses a policy that breaks a timing rule and says which values conflict.',
          ),
        ),
        policySection,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'activity-title' },
        h(
          'div',
          { class: 'card-head' },
          h('h2', { id: 'activity-title' }, 'Recent activity'),
          h('a', { href: routeHash(['audit'], { keySetId: keySet.id }), class: 'link-more' }, 'Full audit log ›'),
        ),
        activitySection,
      ),
    ),
  );

  /** Draws the timeline for the current width; set once the data is loaded. */
  let drawTimeline = () => {};
  let drawnWidth = 0;
  const onResize = () => {
    if (!timelineSection.isConnected) {
      window.removeEventListener('resize', onResize);
      return;
    }
    if (Math.abs(timelineSection.clientWidth - drawnWidth) < 24) return;
    drawnWidth = timelineSection.clientWidth;
    drawTimeline();
  };
  window.addEventListener('resize', onResize);

  /** Loads keys, schedule and audit events and redraws everything but the policy form. */
  async function refresh() {
    const [keys, schedule, events, , readiness] = await Promise.all([
      api.get(`${path}/keys`).then((r) => /** @type {{ items: KeyResource[] }} */ (r).items),
      api.get(`${path}/plan`).then((r) => /** @type {{ items: TransitionResource[] }} */ (r).items),
      // The signature counts have their own card; they would crowd the transitions out of a page.
      api.get('/audit-events', { keySetId: keySet.id, excludeAction: 'key.signatures', limit: 200 }).then(
        (r) => /** @type {{ items: AuditEventResource[] }} */ (r).items,
        (error) => error,
      ),
      signatures.load(),
      api.get(`${path}/readiness`).then(
        (r) => /** @type {import('../lib/api-types.js').ReadinessResource} */ (r),
        (error) => /** @type {Error} */ (error),
      ),
    ]);
    replace(
      readinessSection,
      readiness instanceof Error ? errorState(readiness, 'keys:read') : readinessPanel(readiness, Date.now()),
    );
    const auditEvents = Array.isArray(events) ? events : [];
    const now = Date.now();
    updated.textContent = `Updated ${new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(now)}`;
    replace(status, summary(keySet, keys, now));
    replace(
      modeTag,
      tag(
        keySet.policy.mode === 'AUTO' ? 'automatic rotation' : 'manual rotation',
        keySet.policy.mode === 'AUTO' ? 'accent' : 'neutral',
      ),
    );
    drawTimeline = () =>
      replace(
        timelineSection,
        renderTimeline({ keySet, keys, schedule, events: auditEvents, now, width: timelineSection.clientWidth }),
        Array.isArray(events)
          ? null
          : h(
              'p',
              { class: 'hint' },
              'Past transitions are hidden: this credential does not have the audit:read scope.',
            ),
      );
    drawTimeline();
    const published = keys
      .filter((key) => key.state === 'next' || key.state === 'active' || key.state === 'draining')
      .sort((a, b) => order(a.state) - order(b.state));
    const past = keys
      .filter((key) => key.state === 'retired' || key.state === 'revoked')
      .sort(
        (a, b) => toMs(b.retiredAt ?? b.revokedAt ?? b.createdAt) - toMs(a.retiredAt ?? a.revokedAt ?? a.createdAt),
      );
    replace(
      keysSection,
      published.length === 0
        ? emptyState('No published keys')
        : keyTable({ keys: published, now, caption: 'Published keys', onRevoke }),
      past.length > 0
        ? h(
            'details',
            { class: 'history' },
            h('summary', {}, `Retired and revoked keys (${past.length})`),
            keyTable({ keys: past, now, caption: 'Retired and revoked keys' }),
          )
        : null,
    );
    replace(
      activitySection,
      Array.isArray(events) ? activity(auditEvents.slice(0, 8), now) : errorState(events, 'audit:read'),
    );
    emergency.disabled = !keySet.activeKid;
  }

  /** @param {KeyResource} key */
  function onRevoke(key) {
    openRevokeDialog({ api, keySet, key, onDone: afterChange });
  }
  /** @param {import('../lib/api-types.js').LifecycleResponse} result */
  async function afterChange(result) {
    keySet = result.keySet;
    await refresh();
    /** @type {HTMLElement | null} */ (main.querySelector('#keys-title'))?.focus();
  }
  rotate.addEventListener('click', () => openRotateDialog({ api, keySet, onDone: afterChange }));
  emergency.addEventListener('click', () => openEmergencyRotateDialog({ api, keySet, onDone: afterChange }));

  const showPolicy = () =>
    replace(
      policySection,
      policyForm({
        api,
        keySet,
        onSaved: async (updated) => {
          keySet = updated;
          showPolicy();
          /** @type {HTMLElement | null} */ (policySection.querySelector('button[type=submit]'))?.focus();
          await refresh();
        },
      }),
    );
  showPolicy();
  await refresh();
}

/** @param {string} state */
const order = (state) => ['active', 'next', 'draining'].indexOf(state);

/**
 * The at-a-glance strip: is a rotation safe now, which key signs, which is next, what happens next.
 * @param {KeySetResource} keySet
 * @param {KeyResource[]} keys
 * @param {number} now
 */
function summary(keySet, keys, now) {
  const safeAt = keySet.rotationSafeAt ? Date.parse(keySet.rotationSafeAt) : null;
  const window = keySet.policy.jwksMaxAgeSeconds + keySet.policy.clockSkewSeconds;
  const safety =
    safeAt === null
      ? h(
          'div',
          { class: 'safety safety-warning', 'data-safety': 'no-next' },
          h('span', { class: 'safety-icon', 'aria-hidden': 'true' }, '!'),
          h(
            'div',
            {},
            h('strong', {}, 'No next key is published.'),
            h('p', {}, 'A rotation now would sign with a key no verifier has. The scheduler publishes one shortly.'),
          ),
        )
      : safeAt <= now
        ? h(
            'div',
            { class: 'safety safety-ok', 'data-safety': 'safe' },
            h('span', { class: 'safety-icon', 'aria-hidden': 'true' }, '✓'),
            h(
              'div',
              {},
              h('strong', {}, 'Rotating now is safe.'),
              h(
                'p',
                {},
                `The next key has been published for longer than the JWKS cache window (${formatDuration(window)}); every verifier that honours it has it.`,
              ),
            ),
          )
        : h(
            'div',
            { class: 'safety safety-warning', 'data-safety': 'unsafe' },
            h('span', { class: 'safety-icon', 'aria-hidden': 'true' }, '!'),
            h(
              'div',
              {},
              h('strong', {}, `Rotating now is not safe until ${formatTime(safeAt)} (${formatRelative(safeAt, now)}).`),
              h(
                'p',
                {},
                `Verifiers may cache the JWKS for up to ${formatDuration(window)} (max-age + clock skew), so some have not seen the next key yet.`,
              ),
            ),
          );
  const active = keys.find((key) => key.state === 'active');
  const next = keys.find((key) => key.state === 'next');
  const draining = keys.filter((key) => key.state === 'draining');
  const transition = keySet.nextTransition;
  /** @param {string} label @param {import('../lib/dom.js').Child | import('../lib/dom.js').Child[]} value @param {import('../lib/dom.js').Child | import('../lib/dom.js').Child[]} sub */
  const stat = (label, value, sub) =>
    h(
      'div',
      { class: 'stat' },
      h('dt', {}, label),
      h('dd', {}, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-sub' }, sub)),
    );
  return h(
    'div',
    { class: 'summary' },
    safety,
    h(
      'dl',
      { class: 'stats' },
      stat(
        'Signing',
        active ? [stateBadge('active'), ' ', h('code', { title: active.kid }, shortKid(active.kid))] : 'none',
        active?.activatedAt ? `since ${formatRelative(active.activatedAt, now).replace(' ago', '')}` : '',
      ),
      stat(
        'Next',
        next ? [stateBadge('next'), ' ', h('code', { title: next.kid }, shortKid(next.kid))] : 'none',
        next ? `published ${formatRelative(next.publishedAt, now)}` : '',
      ),
      stat(
        'Draining',
        String(draining.length),
        draining[0]?.retireAt ? `first retires ${formatRelative(draining[0].retireAt, now)}` : 'no keys draining',
      ),
      stat(
        'Next scheduled',
        transition ? TRANSITION_LABELS[transition.action] : 'nothing',
        transition
          ? h('span', { title: formatFullTime(transition.at) }, formatRelative(transition.at, now))
          : keySet.policy.mode === 'MANUAL'
            ? 'manual mode'
            : '',
      ),
    ),
  );
}

/**
 * @param {AuditEventResource[]} events
 * @param {number} now
 */
function activity(events, now) {
  if (events.length === 0) return emptyState('No activity yet');
  return h(
    'ol',
    { class: 'activity' },
    events.map((event) =>
      h(
        'li',
        {},
        h('span', { class: `dot dot-${event.toState ?? 'neutral'}`, 'aria-hidden': 'true' }),
        h(
          'div',
          {},
          h(
            'p',
            {},
            h('strong', {}, ACTION_LABELS[/** @type {keyof typeof ACTION_LABELS} */ (event.action)] ?? event.action),
            event.kid ? [' ', h('code', { title: event.kid }, shortKid(event.kid))] : null,
          ),
          h(
            'p',
            { class: 'muted' },
            h('time', { datetime: event.at, title: formatFullTime(event.at) }, formatRelative(event.at, now)),
            ` · ${event.actor.type} ${event.actor.id}`,
          ),
        ),
      ),
    ),
  );
}

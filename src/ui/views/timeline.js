import { STATE_DESCRIPTIONS } from '../components/badges.js';
import { h, svg, uniqueId } from '../lib/dom.js';
import {
  ACTION_LABELS,
  formatDuration,
  formatFullTime,
  formatRelative,
  formatTime,
  shortKid,
  toMs,
  TRANSITION_LABELS,
} from '../lib/format.js';
import { createTimeScale } from './timeline-scale.js';

/** @typedef {import('../lib/api-types.js').KeyResource} KeyResource */
/** @typedef {import('../lib/api-types.js').KeySetResource} KeySetResource */
/** @typedef {import('../lib/api-types.js').AuditEventResource} AuditEventResource */
/** @typedef {import('../lib/api-types.js').TransitionResource} TransitionResource */

const DEFAULT_WIDTH = 960;
const RIGHT_PAD = 28;
const TOP = 40;
const LANE = 46;
const BAR = 14;
const DAY_MS = 86_400_000;

/** @param {string | null | undefined} iso */
const ms = (iso) => (iso ? Date.parse(iso) : null);

/**
 * The lifecycle timeline of a key set, drawn in SVG: a lane per key with its past states (solid)
 * and planned ones (dashed), the JWKS cache window of the next key, the token-lifetime window of
 * a draining key, past transitions from the audit log (dots) and planned ones from the rotation
 * schedule (diamonds), and lines for now and for the earliest safe rotation.
 * `width` is the space available in CSS pixels: the drawing is laid out for it (text keeps its size),
 * with a narrower label column on a phone.
 * @param {{ keySet: KeySetResource, keys: KeyResource[], schedule: TransitionResource[], events: AuditEventResource[], now: number, width?: number }} input
 * @returns {HTMLElement}
 */
export function renderTimeline({ keySet, keys, schedule, events, now, width = DEFAULT_WIDTH }) {
  const WIDTH = Math.round(Math.min(Math.max(width, 340), 1400));
  const narrow = WIDTH < 600;
  const LABEL_WIDTH = narrow ? 136 : 190;
  const policy = keySet.policy;
  const published = keys.filter((key) => key.state === 'next' || key.state === 'active' || key.state === 'draining');
  const history = keys
    .filter((key) => key.state === 'retired' || key.state === 'revoked')
    .sort((a, b) => (ms(b.retiredAt ?? b.revokedAt) ?? 0) - (ms(a.retiredAt ?? a.revokedAt) ?? 0))
    .slice(0, 3);
  // Oldest at the top: retired and revoked keys, then draining, active, next (a staircase in time).
  const rank = ['draining', 'active', 'next'];
  const lanes = [
    ...history.sort((a, b) => (ms(a.publishedAt) ?? 0) - (ms(b.publishedAt) ?? 0)),
    ...published.sort((a, b) => rank.indexOf(a.state) - rank.indexOf(b.state)),
  ];
  const laneKids = new Set(lanes.map((key) => key.kid));
  const keyEvents = events.filter(
    (event) => event.kid !== null && laneKids.has(event.kid) && event.action.startsWith('key.'),
  );
  const safeAt = ms(keySet.rotationSafeAt);
  const rotateAt = ms(schedule.find((t) => t.action === 'rotate')?.at);

  const times = [
    ...lanes.map((key) => ms(key.publishedAt) ?? now),
    ...keyEvents.map((event) => toMs(event.at)),
    ...schedule.map((t) => Date.parse(t.at)),
    ...(safeAt ? [safeAt] : []),
  ];
  const from = Math.max(now - 400 * DAY_MS, Math.min(now - 3_600_000, ...times) - 60_000);
  const to = Math.min(now + 400 * DAY_MS, Math.max(now + 2 * 3_600_000, ...times) + 60_000);
  const scale = createTimeScale({ now, from, to, x0: LABEL_WIDTH, x1: WIDTH - RIGHT_PAD });
  const x = scale.x;
  const height = TOP + lanes.length * LANE + 34;
  const hatchId = uniqueId('hatch');
  const titleId = uniqueId('timeline-title');
  const descId = uniqueId('timeline-desc');

  const lanesGroup = svg('g', {});
  lanes.forEach((key, index) => {
    const y = TOP + index * LANE + LANE / 2;
    const lane = svg('g', { class: `lane lane-${key.state}`, 'data-kid': key.kid, 'data-state': key.state });
    lane.appendChild(svg('line', { class: 'lane-rule', x1: LABEL_WIDTH, x2: WIDTH - RIGHT_PAD, y1: y, y2: y }));
    // Label: state pill and short kid.
    lane.appendChild(svg('rect', { class: `pill pill-${key.state}`, x: 8, y: y - 10, width: 66, height: 20, rx: 10 }));
    lane.appendChild(
      svg('text', { class: `pill-text pill-text-${key.state}`, x: 41, y: y + 4, 'text-anchor': 'middle' }, key.state),
    );
    lane.appendChild(
      svg(
        'text',
        { class: 'lane-kid', x: 82, y: y + 4 },
        svg('title', {}, key.kid),
        narrow ? `${key.kid.slice(0, 5)}…` : shortKid(key.kid),
      ),
    );

    const publishedAt = ms(key.publishedAt) ?? ms(key.createdAt) ?? now;
    const activatedAt = ms(key.activatedAt);
    const drainingSince = ms(key.drainingSince);
    const endedAt = ms(key.retiredAt) ?? ms(key.revokedAt);
    /** @param {number} start @param {number} end @param {string} phase @param {boolean} planned @param {string} tip */
    const bar = (start, end, phase, planned, tip) => {
      if (end <= start) return;
      const x1 = x(start);
      const x2 = Math.max(x(end), x1 + 2);
      lane.appendChild(
        svg(
          'rect',
          {
            class: `seg seg-${phase}${planned ? ' seg-planned' : ''}`,
            x: x1,
            y: y - BAR / 2,
            width: x2 - x1,
            height: BAR,
            rx: 3,
          },
          svg('title', {}, tip),
        ),
      );
    };
    const nextEnd = activatedAt ?? (key.state === 'next' ? now : (endedAt ?? now));
    bar(
      publishedAt,
      nextEnd,
      'next',
      false,
      `Published, not signing: ${formatTime(publishedAt)} – ${key.state === 'next' ? 'now' : formatTime(nextEnd)}`,
    );
    if (activatedAt) {
      const end = drainingSince ?? (key.state === 'active' ? now : (endedAt ?? now));
      bar(
        activatedAt,
        end,
        'active',
        false,
        `Active, signing tokens: ${formatTime(activatedAt)} – ${key.state === 'active' ? 'now' : formatTime(end)}`,
      );
    }
    if (drainingSince) {
      const end = key.state === 'draining' ? now : (endedAt ?? now);
      bar(
        drainingSince,
        end,
        'draining',
        false,
        `Draining: ${formatTime(drainingSince)} – ${key.state === 'draining' ? 'now' : formatTime(end)}`,
      );
      if (key.state === 'draining' || key.state === 'retired') {
        // Tokens signed just before draining live up to maxTokenLifetime: the key must stay published meanwhile.
        const tokensUntil = drainingSince + policy.maxTokenLifetimeSeconds * 1000;
        lane.appendChild(
          svg(
            'rect',
            {
              class: 'window window-tokens',
              x: x(drainingSince),
              y: y - BAR / 2 - 5,
              width: Math.max(x(tokensUntil) - x(drainingSince), 2),
              height: BAR + 10,
              fill: `url(#${hatchId})`,
            },
            svg(
              'title',
              {},
              `Token-lifetime window: tokens it signed may be valid until ${formatTime(tokensUntil)} (maxTokenLifetime ${formatDuration(policy.maxTokenLifetimeSeconds)})`,
            ),
          ),
        );
      }
    }
    // Planned phases.
    if (key.state === 'next') {
      const promoteAt = policy.mode === 'AUTO' && rotateAt ? rotateAt : null;
      bar(
        now,
        promoteAt ?? to,
        'next',
        true,
        promoteAt
          ? `Stays next until the planned rotation ${formatRelative(promoteAt, now)}`
          : 'Stays next until someone rotates (MANUAL mode)',
      );
      if (promoteAt) bar(promoteAt, to, 'active', true, `Planned: active from ${formatTime(promoteAt)}`);
      if (safeAt) {
        lane.appendChild(
          svg(
            'rect',
            {
              class: `window window-cache${safeAt <= now ? ' window-done' : ''}`,
              x: x(publishedAt),
              y: y - BAR / 2 - 5,
              width: Math.max(x(safeAt) - x(publishedAt), 2),
              height: BAR + 10,
              fill: `url(#${hatchId})`,
            },
            svg(
              'title',
              {},
              `JWKS cache window: verifiers may hold a JWKS without this key until ${formatTime(safeAt)} (jwksMaxAge ${formatDuration(policy.jwksMaxAgeSeconds)} + clockSkew ${formatDuration(policy.clockSkewSeconds)})`,
            ),
          ),
        );
      }
    }
    if (key.state === 'active') {
      const rotateEnd = policy.mode === 'AUTO' && rotateAt ? rotateAt : to;
      bar(
        now,
        rotateEnd,
        'active',
        true,
        policy.mode === 'AUTO'
          ? `Planned: signs until the rotation ${formatRelative(rotateEnd, now)}`
          : 'Signs until someone rotates (MANUAL mode)',
      );
      if (policy.mode === 'AUTO' && rotateAt)
        bar(
          rotateAt,
          Math.min(to, rotateAt + policy.drainingPeriodSeconds * 1000),
          'draining',
          true,
          `Planned: draining for ${formatDuration(policy.drainingPeriodSeconds)} after the rotation`,
        );
    }
    const retireAt = ms(key.retireAt);
    if (key.state === 'draining' && retireAt)
      bar(now, retireAt, 'draining', true, `Planned: draining until retirement ${formatRelative(retireAt, now)}`);

    for (const event of keyEvents.filter((e) => e.kid === key.kid)) {
      const at = toMs(event.at);
      if (at < from) continue;
      lane.appendChild(
        svg(
          'circle',
          { class: `marker marker-past marker-${event.action.replace('key.', '')}`, cx: x(at), cy: y, r: 4.5 },
          svg(
            'title',
            {},
            `${ACTION_LABELS[/** @type {keyof typeof ACTION_LABELS} */ (event.action)] ?? event.action} · ${formatTime(at)} · by ${event.actor.type} ${event.actor.id}`,
          ),
        ),
      );
    }
    for (const transition of schedule.filter((t) => t.kid === key.kid)) {
      const at = Math.max(Date.parse(transition.at), now);
      const cx = x(at);
      lane.appendChild(
        svg(
          'path',
          { class: `marker marker-planned marker-${transition.action}`, d: `M${cx} ${y - 7}l7 7l-7 7l-7 -7z` },
          svg(
            'title',
            {},
            `Planned ${TRANSITION_LABELS[transition.action].toLowerCase()} · ${formatTime(transition.at)} (${formatRelative(transition.at, now)})`,
          ),
        ),
      );
    }
    lanesGroup.appendChild(lane);
  });

  const axis = svg('g', { class: 'axis' });
  for (const tick of scale.ticks) {
    axis.appendChild(
      svg('line', {
        class: tick.label === 'now' ? 'grid grid-now' : 'grid',
        x1: tick.x,
        x2: tick.x,
        y1: TOP - 8,
        y2: height - 26,
      }),
    );
    axis.appendChild(
      svg(
        'text',
        { class: tick.label === 'now' ? 'tick tick-now' : 'tick', x: tick.x, y: TOP - 16, 'text-anchor': 'middle' },
        tick.label,
      ),
    );
  }
  const overlays = svg('g', {});
  if (safeAt && safeAt > now) {
    const sx = x(safeAt);
    overlays.appendChild(svg('line', { class: 'safe-line', x1: sx, x2: sx, y1: TOP - 4, y2: height - 26 }));
    const late = sx > WIDTH * 0.6;
    overlays.appendChild(
      svg(
        'text',
        { class: 'safe-label', x: late ? sx - 4 : sx + 4, y: height - 12, 'text-anchor': late ? 'end' : 'start' },
        `safe to rotate ${formatRelative(safeAt, now)}`,
      ),
    );
  }
  if (!narrow)
    overlays.appendChild(
      svg('text', { class: 'axis-note', x: LABEL_WIDTH, y: height - 12 }, 'time axis is logarithmic around now'),
    );

  const description = lanes
    .map((key) => `${shortKid(key.kid)} ${key.state} (${STATE_DESCRIPTIONS[key.state]})`)
    .join('; ');
  const drawing = svg(
    'svg',
    {
      class: 'timeline-svg',
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      preserveAspectRatio: 'xMinYMin meet',
    },
    svg('title', { id: titleId }, 'Key lifecycle timeline'),
    svg('desc', { id: descId }, description),
    svg(
      'defs',
      {},
      svg(
        'pattern',
        { id: hatchId, patternUnits: 'userSpaceOnUse', width: 6, height: 6, patternTransform: 'rotate(45)' },
        svg('line', { class: 'hatch-line', x1: 0, y1: 0, x2: 0, y2: 6 }),
      ),
    ),
    axis,
    lanesGroup,
    overlays,
  );

  const scroller = h('div', { class: 'timeline-scroll' }, drawing);
  return h(
    'div',
    { class: 'timeline' },
    scroller,
    legend(),
    narrow ? h('p', { class: 'hint' }, 'The time axis is logarithmic around now.') : null,
    transitionList({ keys: lanes, schedule, events: keyEvents, now }),
  );
}

function legend() {
  /** @param {string} cls @param {string} label */
  const item = (cls, label) => h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), label);
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    item('swatch-next', 'next (published)'),
    item('swatch-active', 'active (signing)'),
    item('swatch-draining', 'draining'),
    item('swatch-planned', 'planned'),
    item('swatch-cache', 'JWKS cache window'),
    item('swatch-tokens', 'token-lifetime window'),
    item('swatch-past', 'past transition'),
    item('swatch-plan', 'planned transition'),
  );
}

/**
 * The timeline's transitions as a table, for screen readers and for exact times.
 * @param {{ keys: KeyResource[], schedule: TransitionResource[], events: AuditEventResource[], now: number }} input
 */
function transitionList({ schedule, events, now }) {
  const rows = [
    ...events.map((event) => ({
      at: toMs(event.at),
      what: ACTION_LABELS[/** @type {keyof typeof ACTION_LABELS} */ (event.action)] ?? event.action,
      kid: event.kid,
      planned: false,
    })),
    ...schedule.map((t) => ({ at: Date.parse(t.at), what: TRANSITION_LABELS[t.action], kid: t.kid, planned: true })),
  ].sort((a, b) => a.at - b.at);
  return h(
    'details',
    { class: 'transitions' },
    h('summary', {}, `All transitions (${rows.length})`),
    h(
      'table',
      { class: 'table table-compact' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'When'),
          h('th', { scope: 'col' }, 'Transition'),
          h('th', { scope: 'col' }, 'Key'),
          h('th', { scope: 'col' }, ''),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            h(
              'td',
              { title: formatFullTime(row.at) },
              formatTime(row.at),
              h('span', { class: 'muted' }, ` · ${formatRelative(row.at, now)}`),
            ),
            h('td', {}, row.what),
            h('td', {}, row.kid ? h('code', { title: row.kid }, shortKid(row.kid)) : '—'),
            h(
              'td',
              {},
              row.planned
                ? h('span', { class: 'tag tag-planned' }, 'planned')
                : h('span', { class: 'tag tag-neutral' }, 'done'),
            ),
          ),
        ),
      ),
    ),
  );
}

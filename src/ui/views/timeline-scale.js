const MINUTE_MS = 60_000;

/**
 * A time axis that is logarithmic in the distance from now (symmetric log): minutes around now and
 * months further out fit on one line, so a 1-hour cache window and a 90-day rotation period are
 * both visible. Returns the x of a time, and the ticks worth labelling.
 * @param {{ now: number, from: number, to: number, x0: number, x1: number }} options
 */
export function createTimeScale({ now, from, to, x0, x1 }) {
  /** @param {number} t */
  const warp = (t) => {
    const d = t - now;
    return Math.sign(d) * Math.log10(1 + Math.abs(d) / MINUTE_MS);
  };
  const lo = warp(from);
  const hi = warp(to);
  /** @param {number} t */
  const x = (t) => x0 + ((warp(Math.min(Math.max(t, from), to)) - lo) / (hi - lo)) * (x1 - x0);

  const STEPS = /** @type {[number, string][]} */ ([
    [10 * MINUTE_MS, '10 min'],
    [60 * MINUTE_MS, '1 h'],
    [6 * 60 * MINUTE_MS, '6 h'],
    [24 * 60 * MINUTE_MS, '1 d'],
    [7 * 24 * 60 * MINUTE_MS, '7 d'],
    [30 * 24 * 60 * MINUTE_MS, '30 d'],
    [90 * 24 * 60 * MINUTE_MS, '90 d'],
    [365 * 24 * 60 * MINUTE_MS, '1 y'],
  ]);
  /** @type {{ at: number, x: number, label: string }[]} */
  const ticks = [{ at: now, x: x(now), label: 'now' }];
  for (const [offset, label] of STEPS) {
    for (const sign of [-1, 1]) {
      const at = now + sign * offset;
      if (at < from || at > to) continue;
      const position = x(at);
      if (ticks.some((tick) => Math.abs(tick.x - position) < 46)) continue;
      ticks.push({ at, x: position, label: `${sign < 0 ? '−' : '+'}${label}` });
    }
  }
  return { x, ticks: ticks.sort((a, b) => a.at - b.at) };
}

import type { BenchResults } from './bench-results.ts';

const WIDTH = 900;
const ROW = 34;
const LABEL = 380;
const PLOT = WIDTH - LABEL - 40;
const CAP = 3;

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An SVG bar chart of every targeted ratio as a multiple of its target (1 = exactly on target,
 * right of the line = met), so ratios of both directions and units share one axis.
 */
export function renderChart(results: BenchResults): string {
  const rows = results.workloads.flatMap((workload) =>
    workload.ratios.filter((r) => r.target).map((r) => ({ workload, ratio: r })),
  );
  const height = 60 + rows.length * ROW + 30;
  const x = (score: number): number => LABEL + (Math.min(score, CAP) / CAP) * PLOT;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">Signet: each ratio as a multiple of its target (${results.mode} run, ${escapeXml(results.generatedAt.slice(0, 16))} UTC)</text>`,
    `<text x="10" y="42" fill="#555">bar = median, whisker = min..max over runs; right of the dashed line = target met; capped at ${CAP}x</text>`,
  ];
  rows.forEach(({ workload, ratio }, i) => {
    const y = 60 + i * ROW;
    const target = ratio.target!;
    // For an upper bound (<=, <) a smaller value is better, so the score is target / value.
    const score = (value: number): number => (target.op === '>=' ? value / target.value : target.value / value);
    parts.push(`<text x="10" y="${y + 14}">${escapeXml(`${workload.title}: ${ratio.name}`.slice(0, 62))}</text>`);
    if (!Number.isFinite(ratio.median)) {
      parts.push(`<text x="${LABEL + 4}" y="${y + 14}" fill="#888">not measured</text>`);
      return;
    }
    const colour = ratio.met ? '#2e7d32' : '#c62828';
    parts.push(
      `<rect x="${LABEL}" y="${y + 2}" width="${(x(score(ratio.median)) - LABEL).toFixed(1)}" height="16" fill="${colour}" opacity="0.8"/>`,
    );
    const lo = x(Math.min(score(ratio.min), score(ratio.max)));
    const hi = x(Math.max(score(ratio.min), score(ratio.max)));
    parts.push(`<line x1="${lo.toFixed(1)}" x2="${hi.toFixed(1)}" y1="${y + 10}" y2="${y + 10}" stroke="#000"/>`);
    const shown = `${format(ratio.median)}${ratio.unit === 'x' ? 'x' : ` ${ratio.unit}`} (target ${target.op} ${target.value}${ratio.unit === 'x' ? 'x' : ` ${ratio.unit}`})`;
    parts.push(
      `<text x="${Math.min(x(score(ratio.median)), LABEL + PLOT - 150) + 6}" y="${y + 30}" fill="#333" font-size="11">${escapeXml(shown)}</text>`,
    );
  });
  const line = x(1);
  parts.push(`<line x1="${line}" x2="${line}" y1="52" y2="${height - 24}" stroke="#000" stroke-dasharray="4 3"/>`);
  for (const tick of [0, 1, 2, 3]) parts.push(`<text x="${x(tick) - 6}" y="${height - 8}" fill="#555">${tick}x</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

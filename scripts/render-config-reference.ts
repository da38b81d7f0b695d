import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files that set defaults, in the order the reference lists them. */
const DEFAULTS_FILES = ['src/domain/default-rotation-policy.ts', 'src/config/defaults.ts'];

const readDefaults = (file: string): string => readFileSync(join(import.meta.dirname, '..', file), 'utf8');

/**
 * Renders docs/configuration.md from the documented defaults (the rotation policy's in the domain,
 * the server's in src/config/defaults.ts), the one place each option's default and meaning are written.
 */
export function renderConfigReference(sources: readonly string[] = DEFAULTS_FILES.map(readDefaults)): string {
  const lines = [
    '# Configuration reference',
    '',
    `Generated from ${DEFAULTS_FILES.map((file) => `\`${file}\``).join(' and ')} by \`npm run docs:config\`; edit those files, not this one.`,
    '',
  ];
  for (const source of sources) renderSource(source, lines);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Appends the reference of one defaults file: a section per exported constant. */
function renderSource(source: string, lines: string[]): void {
  const blocks = source.split(/\nexport const /).slice(1);
  for (const block of blocks) {
    const name = block.slice(0, block.search(/[:=\s]/));
    const before = source.slice(0, source.indexOf(`export const ${name}`));
    const intro = before
      .slice(before.lastIndexOf('/**'))
      .match(/\/\*\*\s*([\s\S]*?)\s*\*\/\s*$/)?.[1]
      ?.replace(/\s*\n\s*\*\s?/g, ' ');
    lines.push(`## \`${name}\``, '', intro ?? '', '');
    const fields = [...block.matchAll(/\/\*\*\s*([\s\S]*?)\s*\*\/\s*\n\s*([A-Za-z]+):\s*([^\n]+?),?\n/g)];
    if (fields.length === 0) {
      const value = block.match(/=\s*([^;]+);/)?.[1]?.trim();
      if (value) lines.push(`Value: \`${value}\``, '');
      continue;
    }
    lines.push('| option | default | meaning |', '|---|---|---|');
    for (const [, doc, field, value] of fields) {
      const cleanValue = value!
        .replace(/ as .*$/, '')
        .replace(/\s+/g, ' ')
        .trim();
      lines.push(`| \`${field}\` | \`${cleanValue}\` | ${doc!.replace(/\s*\n\s*\*\s?/g, ' ').replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
}

if (import.meta.main) process.stdout.write(renderConfigReference());

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEFAULTS_FILE = join(import.meta.dirname, '..', 'src', 'config', 'defaults.ts');

/**
 * Renders docs/configuration.md from the documented defaults in src/config/defaults.ts, the one
 * place each option's default and meaning are written.
 */
export function renderConfigReference(source = readFileSync(DEFAULTS_FILE, 'utf8')): string {
  const lines = [
    '# Configuration reference',
    '',
    'Generated from `src/config/defaults.ts` by `npm run docs:config`; edit that file, not this one.',
    '',
  ];
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
  return `${lines.join('\n').trimEnd()}\n`;
}

if (import.meta.main) process.stdout.write(renderConfigReference());

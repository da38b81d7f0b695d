import type { Command } from './command.ts';
import { COMMANDS } from './commands.ts';
import { GLOBAL_FLAGS_HELP } from './global-options.ts';

const EXIT_CODES_HELP =
  'Exit codes: 0 ok, 1 internal error, 2 usage, 3 unauthenticated or forbidden, 4 not found, 5 conflict, 6 unavailable';

/** The usage text: every command, or only those of `noun` when it names a known noun. */
export function usageText(noun?: string): string {
  const nouns = noun !== undefined && COMMANDS[noun] ? [noun] : Object.keys(COMMANDS);
  const lines = ['Usage: signet <command> [flags]', '', 'Commands:'];
  if (nouns.length > 1) {
    lines.push(
      '  signet serve [flags]',
      '      run the server (signet serve --help)',
      '  signet backup FILE [--data-dir DIR] [--database-url URL]',
      '      write a consistent snapshot of the database to FILE (signet backup --help)',
      '  signet restore FILE [--data-dir DIR] [--database-url URL]',
      '      restore a backup into an empty database, SQLite or PostgreSQL (signet restore --help)',
      '  signet master-key status|rotate',
      '      count, or re-seal under the first master key, the sealed private keys (signet master-key --help)',
    );
  }
  for (const name of nouns) {
    for (const [verb, command] of Object.entries(COMMANDS[name]!)) {
      lines.push(`  ${commandLine(name, verb, command)}`, `      ${command.summary}`);
    }
  }
  return [...lines, '', globalFlagsText(), '', EXIT_CODES_HELP, ''].join('\n');
}

/** The usage text of one command. */
export function commandUsageText(noun: string, verb: string, command: Command): string {
  return [`Usage: ${commandLine(noun, verb, command)} [flags]`, '', command.summary, '', globalFlagsText(), ''].join(
    '\n',
  );
}

function commandLine(noun: string, verb: string, command: Command): string {
  return ['signet', noun, verb, command.usage].filter((part) => part !== '').join(' ');
}

function globalFlagsText(): string {
  const width = Math.max(...GLOBAL_FLAGS_HELP.map(([flag]) => flag.length));
  return ['Global flags:', ...GLOBAL_FLAGS_HELP.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`)].join('\n');
}

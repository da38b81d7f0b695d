import { readFileSync } from 'node:fs';
import { EXIT_CODES } from '../http/error-table.ts';
import type { CliIo } from './cli-io.ts';
import { COMMANDS } from './commands.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';
import { runCommand } from './run-command.ts';
import { usageText } from './usage-text.ts';

interface SplitCommand {
  noun: string | undefined;
  verb: string | undefined;
  help: boolean;
  version: boolean;
  /** Every other argument, global flags given before the command first. */
  rest: string[];
  /** Every argument but the noun, for a one-word command (whose next word is no verb). */
  afterNoun: string[];
}

/** `signet <noun> <verb> [args] [flags]`: dispatches to the command and returns the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { noun, verb, help, version, rest, afterNoun } = splitCommand(argv);
  if (version) {
    io.stdout(`${readVersion()}\n`);
    return EXIT_CODES.ok;
  }
  if (noun === 'serve' && !help) return (await import('./serve-command.ts')).runServe(rest, io);
  if (noun === 'master-key')
    return (await import('./master-key-command.ts')).runMasterKey(verb, help ? ['--help'] : rest, io);
  // backup and restore work on the database itself, not through a server; verbs are their argument.
  if (noun === 'backup') return (await import('./backup-command.ts')).runBackup(restAfter(argv, noun), io);
  if (noun === 'restore') return (await import('./restore-command.ts')).runRestore(restAfter(argv, noun), io);
  if (noun === undefined || noun === 'help' || help) return usage(io, noun);
  const verbs = COMMANDS[noun];
  const oneWord = verbs?.[''];
  if (oneWord) return runCommand(noun, '', oneWord, afterNoun, io);
  const command = verb === undefined ? undefined : verbs?.[verb];
  if (command === undefined) {
    if (verbs && verb === undefined) return usage(io, noun);
    return usage(io, verbs ? noun : undefined, `unknown command: signet ${[noun, verb].filter(Boolean).join(' ')}`);
  }
  return runCommand(noun, verb!, command, rest, io);
}

/** Every argument after the command word, so `signet backup FILE` keeps FILE and `--help`. */
function restAfter(argv: readonly string[], noun: string): string[] {
  return argv.slice(argv.indexOf(noun) + 1);
}

function usage(io: CliIo, noun: string | undefined, error?: string): number {
  io.stderr(`${error ? `error: ${error}\n\n` : ''}${usageText(noun)}`);
  return EXIT_CODES.usage;
}

/**
 * Finds the noun and verb, letting global flags come before them (`signet --tenant acme keys list`);
 * after `serve` everything belongs to the server's own parser.
 */
function splitCommand(argv: readonly string[]): SplitCommand {
  const words: string[] = [];
  const leading: string[] = [];
  let help = false;
  let version = false;
  let index = 0;
  let nounIndex = -1;
  for (; index < argv.length && words.length < 2 && words[0] !== 'serve'; index++) {
    const token = argv[index]!;
    if (token === '--help' || token === '-h') help = true;
    else if (token === '--version' && words.length === 0) version = true;
    else if (token.startsWith('-')) {
      leading.push(token);
      const option = GLOBAL_OPTIONS[token.slice(2) as keyof typeof GLOBAL_OPTIONS] as { type: string } | undefined;
      if (option?.type === 'string' && index + 1 < argv.length) leading.push(argv[++index]!);
    } else {
      if (words.length === 0) nounIndex = index;
      words.push(token);
    }
  }
  const afterNoun = argv.filter((_, position) => position !== nounIndex);
  return { noun: words[0], verb: words[1], help, version, rest: [...leading, ...argv.slice(index)], afterNoun };
}

function readVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return packageJson.version;
}

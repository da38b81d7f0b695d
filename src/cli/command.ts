import type { ParseArgsOptionsConfig } from 'node:util';
import type { NativeApiClient } from './native-api-client.ts';

/** What a command gets: the API client, its positional arguments and its parsed flags. */
export interface CommandContext {
  api: NativeApiClient;
  args: readonly string[];
  /** The value of a string flag, if given. */
  flag(name: string): string | undefined;
  /** Every value of a repeatable string flag. */
  flags(name: string): string[];
  /** Whether a boolean flag was given. */
  isSet(name: string): boolean;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
}

/** What a command produced: the raw response for `--json`, and the text a person reads. */
export interface CommandOutput {
  /** Printed by `--json`; `null` prints nothing (a 204 response). */
  data: unknown;
  text: string;
  /** Printed to stderr in both modes: warnings and hints that must not pollute stdout. */
  notice?: string;
}

/** One `signet <noun> <verb>`. */
export interface Command {
  /** Arguments and flags after `signet <noun> <verb>`, for the usage text. */
  usage: string;
  summary: string;
  options?: ParseArgsOptionsConfig;
  /** Positional argument names; a name in brackets is optional. */
  args?: readonly string[];
  run(context: CommandContext): Promise<CommandOutput>;
}

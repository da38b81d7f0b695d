import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../http/error-table.ts';
import { createNativeApiClient } from './native-api-client.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-errors.ts';
import type { Command, CommandContext } from './command.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';
import { reportError } from './report-error.ts';
import { resolveConnection } from './resolve-connection.ts';
import { commandUsageText } from './usage-text.ts';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Parses `argv` for one management command, runs it against the API and prints its output; returns the exit code. */
export async function runCommand(
  noun: string,
  verb: string,
  command: Command,
  argv: string[],
  io: CliIo,
): Promise<number> {
  const usage = commandUsageText(noun, verb, command);
  let tokenGiven = false;
  try {
    const { values, positionals } = parseCommandLine(command, argv);
    if (values.help === true) {
      io.stderr(usage);
      return EXIT_CODES.usage;
    }
    checkArgs(command.args ?? [], positionals);
    const string = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
    const connection = resolveConnection(
      { url: string('url'), token: string('token'), tenant: string('tenant'), dataDir: string('data-dir') },
      io.env,
      (line) => io.stderr(`${line}\n`),
    );
    tokenGiven = connection.token !== null;
    const context: CommandContext = {
      api: createNativeApiClient(connection, io.fetch ?? globalThis.fetch),
      args: positionals,
      flag: string,
      flags: (name) => [values[name] ?? []].flat().filter((value): value is string => typeof value === 'string'),
      isSet: (name) => values[name] === true,
      readStdin: io.stdin ?? readProcessStdin,
    };
    const output = await command.run(context);
    if (values.json === true) {
      if (output.data !== null) io.stdout(`${JSON.stringify(output.data, null, 2)}\n`);
    } else if (output.text !== '') {
      io.stdout(`${output.text}\n`);
    }
    if (output.notice) io.stderr(`${output.notice}\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    return reportError(error, io, { usage, tokenGiven });
  }
}

function parseCommandLine(command: Command, argv: string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    if (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'))
      throw new UsageError(error.message);
    throw error;
  }
}

function checkArgs(names: readonly string[], positionals: readonly string[]): void {
  const required = names.filter((name) => !name.startsWith('[')).length;
  if (positionals.length < required)
    throw new UsageError(`missing ${names.slice(positionals.length, required).join(' ')}`);
  if (positionals.length > names.length)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`);
  if (positionals.some((value) => value === '')) throw new UsageError('arguments must not be empty');
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

import { runCli } from './cli/run-cli.ts';

// Process entry: `signet <command>`. Everything else is built by the command it dispatches to.
const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
process.exitCode = exitCode;

/** What a CLI command may touch of the outside world; injected so tests can drive `runCli` in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Defaults to the global `fetch`; tests inject a fake. */
  fetch?: typeof fetch;
  /** Reads all of standard input (`keys import -`); defaults to `process.stdin`. */
  stdin?: () => Promise<string>;
}

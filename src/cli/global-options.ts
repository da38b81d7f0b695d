import type { ParseArgsOptionsConfig } from 'node:util';

/** Flags every management command accepts (`node:util` parseArgs configuration). */
export const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  tenant: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

/** The global flags as the usage text describes them. */
export const GLOBAL_FLAGS_HELP: readonly (readonly [string, string])[] = [
  [
    '--url URL',
    'Signet base URL (env SIGNET_URL; default: issuer in the credentials file, else http://127.0.0.1:8080)',
  ],
  ['--token TOKEN', 'API token (env SIGNET_TOKEN; default: apiToken in the credentials file)'],
  ['--tenant ID', 'address tenant ID (/t/ID) instead of the root tenant'],
  ['--data-dir DIR', 'where bootstrap-credentials.json is (env SIGNET_DATA_DIR; default ./signet-data)'],
  ['--json', 'print the raw JSON response'],
];

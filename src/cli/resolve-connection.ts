import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOOTSTRAP_DEFAULTS, DEFAULT_SERVER_OPTIONS } from '../config/defaults.ts';
import { UsageError } from './cli-errors.ts';

/** Where and as whom the CLI calls the native API. */
export interface Connection {
  /** Base URL of the server, without a trailing slash. */
  url: string;
  token: string | null;
  tenant: string | null;
}

export interface ConnectionFlags {
  url?: string | undefined;
  token?: string | undefined;
  tenant?: string | undefined;
  dataDir?: string | undefined;
}

const FALLBACK_URL = 'http://127.0.0.1:8080';

/**
 * Resolves the connection: flag, then SIGNET_URL / SIGNET_TOKEN, then the bootstrap credentials
 * file in the data directory (read only when a value is still missing), then the local default URL.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Connection {
  let url = flags.url ?? nonEmpty(env.SIGNET_URL);
  let token = flags.token ?? nonEmpty(env.SIGNET_TOKEN);
  if (url === undefined || token === undefined) {
    const dataDir = flags.dataDir ?? nonEmpty(env.SIGNET_DATA_DIR) ?? DEFAULT_SERVER_OPTIONS.dataDir;
    const credentials = readCredentials(join(dataDir, BOOTSTRAP_DEFAULTS.credentialsFileName), warn);
    url ??= credentials.issuer;
    token ??= credentials.apiToken;
  }
  url ??= FALLBACK_URL;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new UsageError(`--url must be an http or https URL, got ${JSON.stringify(url)}`);
  if (flags.tenant === '') throw new UsageError('--tenant must not be empty');
  return { url: url.replace(/\/+$/, ''), token: token ?? null, tenant: flags.tenant ?? null };
}

function readCredentials(path: string, warn: (line: string) => void): { issuer?: string; apiToken?: string } {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return {
      ...(typeof parsed.issuer === 'string' ? { issuer: parsed.issuer } : {}),
      ...(typeof parsed.apiToken === 'string' ? { apiToken: parsed.apiToken } : {}),
    };
  } catch (error) {
    // The parser's message would quote the file, which holds secrets; name only the failure class.
    warn(
      `warning: ignoring ${path}: ${error instanceof SyntaxError ? 'not valid JSON' : ((error as NodeJS.ErrnoException).code ?? 'unreadable')}`,
    );
    return {};
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

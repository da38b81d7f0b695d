import { parseArgs } from 'node:util';
import { SignetError } from '../errors.ts';
import { DEFAULT_SERVER_OPTIONS } from './defaults.ts';

/** Where `signet backup` and `signet restore` find the database and the master key. */
export interface DatabaseConfig {
  /** The backup file, the one positional argument. */
  file: string;
  dataDir: string;
  databaseUrl: string | null;
  databaseConnectTimeoutSeconds: number;
  masterKey: string | null;
  masterKeyFile: string | null;
}

/**
 * Resolves `signet backup|restore FILE [--data-dir DIR] [--database-url URL]`: flags first, then
 * the SIGNET_* variables `signet serve` reads, then the same defaults, so the commands find the
 * database a server with the same environment uses.
 */
export function loadDatabaseConfig(argv: string[], env: NodeJS.ProcessEnv): DatabaseConfig {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new SignetError('ERR_VALIDATION', 'expected exactly one argument: the backup file');
  }
  const d = DEFAULT_SERVER_OPTIONS;
  const databaseUrl = values['database-url'] ?? env.SIGNET_DATABASE_URL ?? d.databaseUrl;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new SignetError('ERR_VALIDATION', 'database-url must be a postgres:// URL', { fields: ['database-url'] });
  }
  return {
    file,
    dataDir: values['data-dir'] ?? env.SIGNET_DATA_DIR ?? d.dataDir,
    databaseUrl,
    databaseConnectTimeoutSeconds: d.databaseConnectTimeoutSeconds,
    masterKey: env.SIGNET_MASTER_KEY ?? null,
    masterKeyFile: env.SIGNET_MASTER_KEY_FILE ?? null,
  };
}

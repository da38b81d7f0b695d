import { BOOTSTRAP_DEFAULTS } from '../config/defaults.ts';
import { loadServeConfig } from '../config/load-config.ts';
import { loadMasterKeys } from '../config/load-master-keys.ts';
import { createSealer } from '../crypto/create-sealer.ts';
import { isSignetError } from '../errors.ts';
import { ERROR_TABLE } from '../http/error-table.ts';
import { createMasterKeyService } from '../services/create-master-key-service.ts';
import { createStore } from '../storage/create-store.ts';
import type { CliIo } from './cli-io.ts';

const USAGE = `usage: signet master-key status|rotate [--data-dir DIR] [--database-url URL]

Works on the database directly, with the master keys of SIGNET_MASTER_KEY (or SIGNET_MASTER_KEY_FILE,
or the data directory's ${BOOTSTRAP_DEFAULTS.masterKeyFileName}), while instances keep serving.
  status   how many sealed private keys each master key still protects
  rotate   re-seals every sealed private key (signing keys and CSR keys) under the first master key,
           each in its own transaction with its audit event; safe to interrupt and to run again
To rotate: prepend the new key to SIGNET_MASTER_KEY on every instance, run rotate, check status,
then drop the old key once it protects nothing.
`;

/** `signet master-key status|rotate`: master-key rotation over the store, not through the API (the keys never travel). */
export async function runMasterKey(verb: string | undefined, argv: string[], io: CliIo): Promise<number> {
  if ((verb !== 'status' && verb !== 'rotate') || argv.includes('--help') || argv.includes('-h')) {
    (verb === undefined || verb === 'help' || argv.includes('--help') ? io.stdout : io.stderr)(USAGE);
    return verb === 'status' || verb === 'rotate' || verb === undefined || verb === 'help' ? 0 : 2;
  }
  try {
    const config = loadServeConfig(argv, io.env);
    const masterKeys = loadMasterKeys({ ...config, generate: false });
    const sealer = createSealer(masterKeys.keys);
    // A CLI run has no request to fail: a dropped connection surfaces in the awaited call.
    const store = createStore({ ...config, onError: () => undefined });
    try {
      const service = createMasterKeyService({ store, sealer, now: Date.now });
      if (verb === 'rotate') {
        const context = {
          actor: { type: 'system' as const, id: 'master-key-rotate', tenantId: null },
          requestId: null,
          sourceIp: null,
          surface: 'cli' as const,
        };
        // One line per key as it commits, so an operator (or a test) sees the progress of a long run.
        const done = await service.rotate(context, (secret) =>
          io.stdout(
            `re-sealed ${secret.kind === 'key' ? `key ${secret.keySetId}/${secret.kid}` : `CSR key ${secret.id}`}\n`,
          ),
        );
        io.stdout(
          `re-sealed ${done.resealed} private key(s) under master key ${done.currentMasterKeyId}; ${done.current} already were, ${done.skipped} changed meanwhile (run again)\n`,
        );
      }
      const status = await service.status();
      for (const [id, count] of Object.entries(status.protects)) {
        const current = id === status.currentMasterKeyId ? ' (current)' : '';
        io.stdout(`master key ${id}${current}: ${count.keys} signing key(s), ${count.csrs} CSR key(s)\n`);
      }
      if (!(status.currentMasterKeyId in status.protects)) {
        io.stdout(`master key ${status.currentMasterKeyId} (current): 0 signing key(s), 0 CSR key(s)\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    if (isSignetError(error)) {
      io.stderr(`error: ${error.message} (${error.code})\n`);
      return ERROR_TABLE[error.code].exitCode;
    }
    throw error;
  }
}

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SignetError } from '../errors.ts';
import type { RateLimitSettings } from '../services/create-rate-limiter.ts';
import { DEFAULT_CUSTODY_OPTIONS, DEFAULT_SERVER_OPTIONS } from './defaults.ts';

/** The resolved configuration of `signet serve`. */
export interface ServeConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  databasePoolSize: number;
  databaseConnectTimeoutSeconds: number;
  databaseStatementTimeoutSeconds: number;
  databaseLockTimeoutSeconds: number;
  baseUrl: string;
  logLevel: string;
  bodyLimitBytes: number;
  schedulerIntervalSeconds: number;
  pkcs11SweepIntervalSeconds: number;
  reconcileIntervalSeconds: number;
  signatureFlushIntervalSeconds: number;
  signatureMetricCredentials: number;
  workers: number;
  shutdownGraceSeconds: number;
  trustProxy: boolean;
  /** Where to serve Kubernetes' ExternalJWTSigner, and for which authorization server; null for nowhere. */
  k8sSigner: { socketPath: string; tenantId: string; authorizationServerId: string } | null;
  readinessTracking: boolean;
  readinessMaxConsumers: number;
  readinessFlushIntervalSeconds: number;
  rateLimits: RateLimitSettings;
  webhooks: WebhookOptions;
  masterKey: string | null;
  masterKeyFile: string | null;
  custody: CustodyConfig;
  bootstrap: { clientId: string | null; clientSecret: string | null; apiToken: string | null };
}

/** Key custody settings (`SIGNET_DEFAULT_CUSTODY`, `SIGNET_PKCS11_*`). */
export interface CustodyConfig {
  defaultCustody: 'sealed' | 'pkcs11';
  /** Null when no module is configured: `pkcs11` custody is then unavailable. */
  pkcs11: { modulePath: string; tokenLabel: string | null; slot: number | null; pin: string; sessions: number } | null;
}

/** Reads SIGNET_DEFAULT_CUSTODY and the SIGNET_PKCS11_* variables; each error names its variable, never the PIN. */
export function loadCustodyConfig(env: NodeJS.ProcessEnv): CustodyConfig {
  const d = DEFAULT_CUSTODY_OPTIONS;
  const defaultCustody = env.SIGNET_DEFAULT_CUSTODY || d.defaultCustody;
  if (defaultCustody !== 'sealed' && defaultCustody !== 'pkcs11') {
    throw new SignetError('ERR_VALIDATION', 'SIGNET_DEFAULT_CUSTODY must be sealed or pkcs11', {
      fields: ['SIGNET_DEFAULT_CUSTODY'],
    });
  }
  const modulePath = env.SIGNET_PKCS11_MODULE || d.pkcs11Module;
  if (modulePath === null) {
    if (defaultCustody === 'pkcs11') {
      throw new SignetError('ERR_VALIDATION', 'SIGNET_DEFAULT_CUSTODY is pkcs11 but SIGNET_PKCS11_MODULE is not set', {
        fields: ['SIGNET_PKCS11_MODULE'],
      });
    }
    return { defaultCustody, pkcs11: null };
  }
  const tokenLabel = env.SIGNET_PKCS11_TOKEN_LABEL || d.pkcs11TokenLabel;
  const slotText = env.SIGNET_PKCS11_SLOT || null;
  if ((tokenLabel === null) === (slotText === null)) {
    throw new SignetError('ERR_VALIDATION', 'set exactly one of SIGNET_PKCS11_TOKEN_LABEL and SIGNET_PKCS11_SLOT', {
      fields: ['SIGNET_PKCS11_TOKEN_LABEL', 'SIGNET_PKCS11_SLOT'],
    });
  }
  const slot = slotText === null ? d.pkcs11Slot : integer('SIGNET_PKCS11_SLOT', slotText, 0, 2 ** 32 - 1);
  let pin = env.SIGNET_PKCS11_PIN || d.pkcs11Pin;
  if (pin === null && env.SIGNET_PKCS11_PIN_FILE) {
    try {
      pin = readFileSync(env.SIGNET_PKCS11_PIN_FILE, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new SignetError('ERR_VALIDATION', `SIGNET_PKCS11_PIN_FILE ${env.SIGNET_PKCS11_PIN_FILE} cannot be read`, {
        fields: ['SIGNET_PKCS11_PIN_FILE'],
      });
    }
  }
  if (pin === null || pin === '') {
    throw new SignetError(
      'ERR_VALIDATION',
      'SIGNET_PKCS11_MODULE is set: give the PIN in SIGNET_PKCS11_PIN or SIGNET_PKCS11_PIN_FILE',
      {
        fields: ['SIGNET_PKCS11_PIN'],
      },
    );
  }
  return { defaultCustody, pkcs11: { modulePath, tokenLabel, slot, pin, sessions: d.pkcs11Sessions } };
}

/** The webhook options of `signet serve` (see `DEFAULT_SERVER_OPTIONS`). */
export interface WebhookOptions {
  allowHttp: boolean;
  allowPrivateNetworks: boolean;
  timeoutSeconds: number;
  maxResponseBytes: number;
  leaseSeconds: number;
  pollIntervalSeconds: number;
  failingAfter: number;
  secretGraceSeconds: number;
}

function integer(name: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new SignetError('ERR_VALIDATION', `${name} must be an integer from ${min} to ${max}`, { fields: [name] });
  }
  return parsed;
}

function boolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new SignetError('ERR_VALIDATION', `${name} must be true or false`, { fields: [name] });
}

function perMinute(name: string, env: NodeJS.ProcessEnv, fallback: number): number {
  return integer(`SIGNET_RATE_LIMIT_${name}`, env[`SIGNET_RATE_LIMIT_${name}`] ?? String(fallback), 1, 1_000_000_000);
}

function loadRateLimits(env: NodeJS.ProcessEnv): RateLimitSettings {
  const d = DEFAULT_SERVER_OPTIONS;
  return {
    enabled: boolean('SIGNET_RATE_LIMIT_ENABLED', env.SIGNET_RATE_LIMIT_ENABLED, d.rateLimitEnabled),
    perMinute: {
      managementCredential: perMinute('MANAGEMENT_PER_MINUTE', env, d.rateLimitManagementPerMinute),
      managementAddress: perMinute('MANAGEMENT_PER_ADDRESS_PER_MINUTE', env, d.rateLimitManagementPerAddressPerMinute),
      tokenClient: perMinute('TOKEN_PER_MINUTE', env, d.rateLimitTokenPerMinute),
      tokenAddress: perMinute('TOKEN_PER_ADDRESS_PER_MINUTE', env, d.rateLimitTokenPerAddressPerMinute),
      authFailureClient: perMinute('AUTH_FAILURES_PER_MINUTE', env, d.rateLimitAuthFailuresPerMinute),
      authFailureAddress: perMinute(
        'AUTH_FAILURES_PER_ADDRESS_PER_MINUTE',
        env,
        d.rateLimitAuthFailuresPerAddressPerMinute,
      ),
    },
  };
}

/**
 * Resolves `signet serve` options: flags first, then SIGNET_* environment variables, then the
 * documented defaults. The only module that reads the environment.
 */
export function loadServeConfig(argv: string[], env: NodeJS.ProcessEnv): ServeConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'base-url': { type: 'string' },
      'log-level': { type: 'string' },
      workers: { type: 'string' },
      'k8s-signer-socket': { type: 'string' },
      'k8s-signer-authorization-server': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const d = DEFAULT_SERVER_OPTIONS;
  const port = integer('port', values.port ?? env.SIGNET_PORT ?? String(d.port), 0, 65535);
  const host = values.host ?? env.SIGNET_HOST ?? d.host;
  const databaseUrl = values['database-url'] ?? env.SIGNET_DATABASE_URL ?? d.databaseUrl;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new SignetError('ERR_VALIDATION', 'database-url must be a postgres:// URL', { fields: ['database-url'] });
  }
  const rawBase = values['base-url'] ?? env.SIGNET_BASE_URL ?? d.baseUrl;
  let baseUrl: string;
  if (rawBase) {
    let parsed: URL;
    try {
      parsed = new URL(rawBase);
    } catch {
      throw new SignetError('ERR_VALIDATION', 'base-url must be an absolute http(s) URL', { fields: ['base-url'] });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new SignetError('ERR_VALIDATION', 'base-url must be http or https', { fields: ['base-url'] });
    baseUrl = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  } else {
    const publicHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    baseUrl = `http://${publicHost}:${port}`;
  }
  const k8sSocket = values['k8s-signer-socket'] ?? env.SIGNET_K8S_SIGNER_SOCKET ?? d.k8sSignerSocket;
  const k8sServer =
    values['k8s-signer-authorization-server'] ??
    env.SIGNET_K8S_SIGNER_AUTHORIZATION_SERVER ??
    d.k8sSignerAuthorizationServer;
  const k8sTarget = /^([^/\s]+)\/([^/\s]+)$/.exec(k8sServer);
  if (!k8sTarget)
    throw new SignetError('ERR_VALIDATION', 'k8s-signer-authorization-server must be TENANT/SERVER', {
      fields: ['k8s-signer-authorization-server'],
    });
  const workers = integer('workers', values.workers ?? env.SIGNET_WORKERS ?? String(d.workers), 1, 64);
  // One socket, one process: worker processes would race for it (see the README).
  if (k8sSocket && workers > 1)
    throw new SignetError('ERR_VALIDATION', 'k8s-signer-socket is served by a single process; use --workers 1', {
      fields: ['k8s-signer-socket', 'workers'],
    });
  return {
    port,
    host,
    dataDir: values['data-dir'] ?? env.SIGNET_DATA_DIR ?? d.dataDir,
    databaseUrl,
    databasePoolSize: integer(
      'SIGNET_DATABASE_POOL_SIZE',
      env.SIGNET_DATABASE_POOL_SIZE ?? String(d.databasePoolSize),
      1,
      1000,
    ),
    databaseConnectTimeoutSeconds: integer(
      'SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS',
      env.SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS ?? String(d.databaseConnectTimeoutSeconds),
      1,
      600,
    ),
    databaseStatementTimeoutSeconds: integer(
      'SIGNET_DATABASE_STATEMENT_TIMEOUT_SECONDS',
      env.SIGNET_DATABASE_STATEMENT_TIMEOUT_SECONDS ?? String(d.databaseStatementTimeoutSeconds),
      1,
      600,
    ),
    databaseLockTimeoutSeconds: integer(
      'SIGNET_DATABASE_LOCK_TIMEOUT_SECONDS',
      env.SIGNET_DATABASE_LOCK_TIMEOUT_SECONDS ?? String(d.databaseLockTimeoutSeconds),
      1,
      600,
    ),
    baseUrl,
    logLevel: values['log-level'] ?? env.SIGNET_LOG_LEVEL ?? d.logLevel,
    bodyLimitBytes: integer(
      'SIGNET_BODY_LIMIT_BYTES',
      env.SIGNET_BODY_LIMIT_BYTES ?? String(d.bodyLimitBytes),
      1024,
      16 * 1024 * 1024,
    ),
    schedulerIntervalSeconds: integer(
      'SIGNET_SCHEDULER_INTERVAL_SECONDS',
      env.SIGNET_SCHEDULER_INTERVAL_SECONDS ?? String(d.schedulerIntervalSeconds),
      1,
      3600,
    ),
    pkcs11SweepIntervalSeconds: integer(
      'SIGNET_PKCS11_SWEEP_INTERVAL_SECONDS',
      env.SIGNET_PKCS11_SWEEP_INTERVAL_SECONDS ?? String(d.pkcs11SweepIntervalSeconds),
      1,
      86_400,
    ),
    reconcileIntervalSeconds: integer(
      'SIGNET_RECONCILE_INTERVAL_SECONDS',
      env.SIGNET_RECONCILE_INTERVAL_SECONDS ?? String(d.reconcileIntervalSeconds),
      1,
      86_400,
    ),
    signatureFlushIntervalSeconds: integer(
      'SIGNET_SIGNATURE_FLUSH_INTERVAL_SECONDS',
      env.SIGNET_SIGNATURE_FLUSH_INTERVAL_SECONDS ?? String(d.signatureFlushIntervalSeconds),
      1,
      3600,
    ),
    signatureMetricCredentials: integer(
      'SIGNET_SIGNATURE_METRIC_CREDENTIALS',
      env.SIGNET_SIGNATURE_METRIC_CREDENTIALS ?? String(d.signatureMetricCredentials),
      0,
      100_000,
    ),
    workers,
    shutdownGraceSeconds: integer(
      'SIGNET_SHUTDOWN_GRACE_SECONDS',
      env.SIGNET_SHUTDOWN_GRACE_SECONDS ?? String(d.shutdownGraceSeconds),
      0,
      600,
    ),
    trustProxy: boolean('SIGNET_TRUST_PROXY', env.SIGNET_TRUST_PROXY, d.trustProxy),
    k8sSigner: k8sSocket
      ? { socketPath: k8sSocket, tenantId: k8sTarget[1]!, authorizationServerId: k8sTarget[2]! }
      : null,
    readinessTracking: boolean('SIGNET_READINESS_TRACKING', env.SIGNET_READINESS_TRACKING, d.readinessTracking),
    readinessMaxConsumers: integer(
      'SIGNET_READINESS_MAX_CONSUMERS',
      env.SIGNET_READINESS_MAX_CONSUMERS ?? String(d.readinessMaxConsumers),
      1,
      1_000_000,
    ),
    readinessFlushIntervalSeconds: integer(
      'SIGNET_READINESS_FLUSH_INTERVAL_SECONDS',
      env.SIGNET_READINESS_FLUSH_INTERVAL_SECONDS ?? String(d.readinessFlushIntervalSeconds),
      1,
      3600,
    ),
    rateLimits: loadRateLimits(env),
    webhooks: {
      allowHttp: boolean('SIGNET_WEBHOOK_ALLOW_HTTP', env.SIGNET_WEBHOOK_ALLOW_HTTP, d.webhookAllowHttp),
      allowPrivateNetworks: boolean(
        'SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS',
        env.SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS,
        d.webhookAllowPrivateNetworks,
      ),
      timeoutSeconds: integer(
        'SIGNET_WEBHOOK_TIMEOUT_SECONDS',
        env.SIGNET_WEBHOOK_TIMEOUT_SECONDS ?? String(d.webhookTimeoutSeconds),
        1,
        300,
      ),
      maxResponseBytes: integer(
        'SIGNET_WEBHOOK_MAX_RESPONSE_BYTES',
        env.SIGNET_WEBHOOK_MAX_RESPONSE_BYTES ?? String(d.webhookMaxResponseBytes),
        0,
        16 * 1024 * 1024,
      ),
      leaseSeconds: integer(
        'SIGNET_WEBHOOK_LEASE_SECONDS',
        env.SIGNET_WEBHOOK_LEASE_SECONDS ?? String(d.webhookLeaseSeconds),
        1,
        3600,
      ),
      pollIntervalSeconds: integer(
        'SIGNET_WEBHOOK_POLL_INTERVAL_SECONDS',
        env.SIGNET_WEBHOOK_POLL_INTERVAL_SECONDS ?? String(d.webhookPollIntervalSeconds),
        1,
        3600,
      ),
      failingAfter: integer(
        'SIGNET_WEBHOOK_FAILING_AFTER',
        env.SIGNET_WEBHOOK_FAILING_AFTER ?? String(d.webhookFailingAfter),
        1,
        1000,
      ),
      secretGraceSeconds: integer(
        'SIGNET_WEBHOOK_SECRET_GRACE_SECONDS',
        env.SIGNET_WEBHOOK_SECRET_GRACE_SECONDS ?? String(d.webhookSecretGraceSeconds),
        0,
        30 * 86_400,
      ),
    },
    masterKey: env.SIGNET_MASTER_KEY ?? null,
    masterKeyFile: env.SIGNET_MASTER_KEY_FILE ?? null,
    custody: loadCustodyConfig(env),
    bootstrap: {
      clientId: env.SIGNET_BOOTSTRAP_CLIENT_ID ?? null,
      clientSecret: env.SIGNET_BOOTSTRAP_CLIENT_SECRET ?? null,
      apiToken: env.SIGNET_BOOTSTRAP_API_TOKEN ?? null,
    },
  };
}

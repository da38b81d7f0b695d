import { DEFAULT_AUTHORIZATION_SERVER_ID } from '../domain/default-authorization-server-id.ts';

/**
 * Every default of Signet's server, documented where it is set; the rotation policy's defaults are
 * a domain rule (`src/domain/default-rotation-policy.ts`). The configuration reference in
 * `docs/configuration.md` is generated from both files (`npm run docs:config`).
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** Server options and their defaults (docs/spec.md §5); flags and SIGNET_* variables override them. */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  /** `--port` / `SIGNET_PORT`: TCP port of the HTTP server. */
  port: 8080,
  /** `--host` / `SIGNET_HOST`: interface to listen on; loopback unless told otherwise. */
  host: '127.0.0.1',
  /** `--data-dir` / `SIGNET_DATA_DIR`: where the SQLite database, the generated master key and the bootstrap credentials live. */
  dataDir: './signet-data',
  /** `--database-url` / `SIGNET_DATABASE_URL`: a `postgres://` URL switches to PostgreSQL, shared by every instance (each needs the same master key). */
  databaseUrl: null as string | null,
  /** `SIGNET_DATABASE_POOL_SIZE`: the most PostgreSQL connections an instance opens for transactions and reads (listening for changes takes one more). */
  databasePoolSize: 10,
  /** `SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS`: how long to wait for a PostgreSQL connection before a management request gets 503. */
  databaseConnectTimeoutSeconds: 5,
  /**
   * `SIGNET_DATABASE_STATEMENT_TIMEOUT_SECONDS`: the longest one PostgreSQL statement may run before the
   * server cancels it; a server that does not answer at all is given up on 2 s later by the client, so a
   * database that hangs instead of refusing gets the same 503 as an unreachable one.
   */
  databaseStatementTimeoutSeconds: 10,
  /** `SIGNET_DATABASE_LOCK_TIMEOUT_SECONDS`: the longest a PostgreSQL statement waits for a lock (a row, a table, another instance's write lock) before the request gets 503. */
  databaseLockTimeoutSeconds: 5,
  /** `--base-url` / `SIGNET_BASE_URL`: public URL used in issuers; derived from host and port when unset. */
  baseUrl: null as string | null,
  /** `--log-level` / `SIGNET_LOG_LEVEL`: pino level (`fatal` .. `trace`, or `silent`). */
  logLevel: 'info',
  /** `SIGNET_BODY_LIMIT_BYTES`: the largest request body accepted (413 above it). */
  bodyLimitBytes: 64 * 1024,
  /** `SIGNET_SCHEDULER_INTERVAL_SECONDS`: the longest the scheduler sleeps between checks. */
  schedulerIntervalSeconds: 1,
  /**
   * `SIGNET_PKCS11_SWEEP_INTERVAL_SECONDS`: how often each instance's scheduler scans the token for
   * objects of retired or revoked keys whose destruction failed while the token was away, and
   * destroys them (audited once, whichever instance gets there first); also at start-up.
   */
  pkcs11SweepIntervalSeconds: 300,
  /**
   * `SIGNET_RECONCILE_INTERVAL_SECONDS`: how often each instance compares its in-memory state with the
   * database (one query per table, no key loaded) and refreshes what a lost change notification missed.
   */
  reconcileIntervalSeconds: 30,
  /**
   * `--workers` / `SIGNET_WORKERS`: worker processes sharing the port (node:cluster); the primary
   * migrates, bootstraps and replaces a worker that dies. 1 serves from a single process.
   */
  workers: 1,
  /**
   * `SIGNET_SIGNATURE_FLUSH_INTERVAL_SECONDS`: how often each instance writes its in-memory signature
   * counts (per kid, credential and minute) to the audit log as `key.signatures` events, and again on
   * graceful shutdown. A crash loses at most this many seconds of counts; no row is written per token.
   */
  signatureFlushIntervalSeconds: 60,
  /**
   * `SIGNET_SIGNATURE_METRIC_CREDENTIALS`: the most distinct credentials `signet_signatures_total`
   * labels per instance; signatures of any further credential count under `credential="other"`, so
   * the series stay bounded however many clients sign (the audit log still names each one).
   */
  signatureMetricCredentials: 500,
  /** `SIGNET_SHUTDOWN_GRACE_SECONDS`: how long SIGTERM waits for in-flight requests. */
  shutdownGraceSeconds: 10,
  /** `SIGNET_TRUST_PROXY`: `true` when behind a reverse proxy, so audit events and the per-address rate limits use X-Forwarded-For. */
  trustProxy: false,
  /**
   * `SIGNET_READINESS_TRACKING`: note who fetches each JWKS (address, User-Agent, the name a consumer
   * gives), for verifier readiness and its rotation gate; `false` only to measure what it costs.
   */
  readinessTracking: true,
  /** `SIGNET_READINESS_MAX_CONSUMERS`: JWKS consumers kept in memory per key set; past it the least recent is evicted (and counted). */
  readinessMaxConsumers: 1000,
  /** `SIGNET_READINESS_FLUSH_INTERVAL_SECONDS`: how often each instance writes the consumers it saw to the database (never per request). */
  readinessFlushIntervalSeconds: 10,
  /**
   * `SIGNET_RATE_LIMIT_ENABLED`: answer 429 (in each surface's envelope, with `Retry-After` and the
   * vendor's rate-limit headers) above the limits below. The limits are totals: instances
   * sharing a PostgreSQL database (and `--workers`) each enforce their share (docs/design-notes.md).
   */
  rateLimitEnabled: true,
  /** `SIGNET_RATE_LIMIT_MANAGEMENT_PER_MINUTE`: management calls (native API and every dialect) per credential presented. */
  rateLimitManagementPerMinute: 600,
  /** `SIGNET_RATE_LIMIT_MANAGEMENT_PER_ADDRESS_PER_MINUTE`: management calls per source address, whatever the credential. */
  rateLimitManagementPerAddressPerMinute: 1200,
  /**
   * `SIGNET_RATE_LIMIT_TOKEN_PER_MINUTE`: tokens issued per client id at every token endpoint
   * (clients cache a token for its lifetime, so a client asking more often is misbehaving).
   */
  rateLimitTokenPerMinute: 6000,
  /** `SIGNET_RATE_LIMIT_TOKEN_PER_ADDRESS_PER_MINUTE`: token requests per source address, whatever the client. */
  rateLimitTokenPerAddressPerMinute: 30_000,
  /** `SIGNET_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE`: failed client authentications per client id before its token requests get 429 (brute-force guard). */
  rateLimitAuthFailuresPerMinute: 10,
  /** `SIGNET_RATE_LIMIT_AUTH_FAILURES_PER_ADDRESS_PER_MINUTE`: failed client authentications per source address before its token requests get 429. */
  rateLimitAuthFailuresPerAddressPerMinute: 30,
  /** `SIGNET_WEBHOOK_ALLOW_HTTP`: `true` accepts plain `http:` webhook URLs (tests, a receiver behind a trusted proxy); otherwise `https:` only. */
  webhookAllowHttp: false,
  /**
   * `SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS`: `true` lets webhooks reach loopback, private and link-local addresses;
   * otherwise such a URL is refused when written and such a resolved address at every delivery (SSRF, DNS rebinding).
   */
  webhookAllowPrivateNetworks: false,
  /** `SIGNET_WEBHOOK_TIMEOUT_SECONDS`: how long one delivery attempt may take, connection to last byte, before it counts as failed. */
  webhookTimeoutSeconds: 10,
  /** `SIGNET_WEBHOOK_MAX_RESPONSE_BYTES`: a receiver's response body beyond this is not read and the attempt fails. */
  webhookMaxResponseBytes: 64 * 1024,
  /**
   * `SIGNET_WEBHOOK_LEASE_SECONDS`: how long an instance holds a delivery it is sending; if it dies, another instance
   * takes the delivery over once the lease has expired. Longer than the timeout.
   */
  webhookLeaseSeconds: 60,
  /** `SIGNET_WEBHOOK_POLL_INTERVAL_SECONDS`: the longest the delivery loop sleeps before looking for due deliveries. */
  webhookPollIntervalSeconds: 1,
  /** `SIGNET_WEBHOOK_FAILING_AFTER`: failed attempts in a row after which a subscription is marked failing (the dashboard shows it). */
  webhookFailingAfter: 5,
  /** `SIGNET_WEBHOOK_SECRET_GRACE_SECONDS`: after a secret rotation, how long the old secret keeps signing beside the new one. */
  webhookSecretGraceSeconds: 24 * HOUR,
  /**
   * `--k8s-signer-socket` / `SIGNET_K8S_SIGNER_SOCKET`: a Unix socket path on which to serve Kubernetes'
   * ExternalJWTSigner (kube-apiserver `--service-account-signing-endpoint`), mode 0600; unset serves none.
   */
  k8sSignerSocket: null as string | null,
  /**
   * `--k8s-signer-authorization-server` / `SIGNET_K8S_SIGNER_AUTHORIZATION_SERVER`: `TENANT/SERVER`
   * whose key set signs the cluster's service-account tokens; created on first start if missing.
   */
  k8sSignerAuthorizationServer: 'default/kubernetes',
});

/** The authorization server the Kubernetes signer creates when it is missing (issue 12). */
export const KUBERNETES_SIGNER_DEFAULTS = Object.freeze({
  /** RS256, which every Kubernetes release and OIDC verifier accepts. */
  alg: 'RS256' as const,
  /** Audiences of the server's own token endpoint (the cluster's tokens carry their own). */
  audiences: ['api://kubernetes'] as readonly string[],
  /**
   * 24 hours, the answered max_token_expiration_seconds (Kubernetes needs >= 600): kubelet's
   * projected tokens (1 h 7 s) and their extension fit; set the cluster's
   * `--service-account-max-token-expiration` to at most this.
   */
  maxTokenLifetimeSeconds: 24 * HOUR,
  /** 25 h 5 min = maxTokenLifetime + jwksMaxAge + clockSkew, the shortest safe draining window. */
  drainingPeriodSeconds: 25 * HOUR + 5 * MINUTE,
});

/**
 * Key custody (docs/spec.md §7): where new key sets keep their private keys, and the PKCS#11 token
 * `pkcs11` custody uses. A missing module, an absent token or a refused PIN stops start-up.
 */
export const DEFAULT_CUSTODY_OPTIONS = Object.freeze({
  /** `SIGNET_DEFAULT_CUSTODY`: custody of key sets created without one, `sealed` (AES-256-GCM in the database) or `pkcs11` (non-extractable on the token). */
  defaultCustody: 'sealed' as 'sealed' | 'pkcs11',
  /** `SIGNET_PKCS11_MODULE`: path of the PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so); unset, `pkcs11` custody is off. */
  pkcs11Module: null as string | null,
  /** `SIGNET_PKCS11_TOKEN_LABEL`: the label of the token holding the keys; or give `SIGNET_PKCS11_SLOT`. */
  pkcs11TokenLabel: null as string | null,
  /** `SIGNET_PKCS11_SLOT`: the slot id of the token, when it is not found by label. */
  pkcs11Slot: null as number | null,
  /** `SIGNET_PKCS11_PIN` or `SIGNET_PKCS11_PIN_FILE` (a file holding it): the token's user PIN; never logged. */
  pkcs11Pin: null as string | null,
  /** Sessions each instance opens on the token: one signature runs per session at a time. */
  pkcs11Sessions: 4,
});

/** Settings of the tenant, authorization server and key set that bootstrap creates. */
export const BOOTSTRAP_DEFAULTS = Object.freeze({
  /** The root tenant, served at `/`; only its credentials may hold tenants:* scopes. */
  tenantId: 'default',
  /** The tenant's default authorization server (`'default'`), whose issuer is the tenant base URL. */
  authorizationServerId: DEFAULT_AUTHORIZATION_SERVER_ID,
  /** Audiences of the default authorization server's access tokens. */
  audiences: ['api://default'] as readonly string[],
  /** 1 hour access tokens, equal to the default maxTokenLifetimeSeconds. */
  accessTokenLifetimeSeconds: HOUR,
  /** Signing algorithm of the bootstrap key set (docs/spec.md §4 default). */
  alg: 'RS256' as const,
  /** RSA key size of the bootstrap key set. */
  rsaModulusLength: 2048 as const,
  /** File in the data directory the bootstrap credentials are written to (mode 0600). */
  credentialsFileName: 'bootstrap-credentials.json',
  /** File in the data directory a generated master key is written to (mode 0600). */
  masterKeyFileName: 'master.key',
});

/** The audience a token must carry to call the native management API (request it with `audience=`). */
export const NATIVE_MANAGEMENT_AUDIENCE = 'urn:signet:management';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode, SignetError } from '../errors.ts';
import type { Metrics } from '../metrics/create-metrics.ts';
import type { RateLimiter } from '../services/create-rate-limiter.ts';
import type { ManagementAudience } from './authenticate.ts';
import type { RateLimitHeaderNames } from './rate-limit-headers.ts';
import type { RequestRules } from './request-rules.ts';
import type { DialectDeps } from './dialects/shared/dialect-deps.ts';
import type { UiAssets } from './ui/load-ui-assets.ts';

/** How a surface renders an error: the statuses it documents differently, and its body. */
export interface ErrorEnvelope {
  /** A status this envelope documents for a code instead of the error table's (src/http/error-table.ts). */
  statusOverrides?: Readonly<Partial<Record<ErrorCode, number>>>;
  /** The rate-limit header names its clients read on a 429 (`Retry-After` is always sent). */
  rateLimitHeaders: RateLimitHeaderNames;
  /** Sends `error` with `status` (the table's, after the overrides) in this envelope. */
  send(request: FastifyRequest, reply: FastifyReply, error: SignetError, status: number): FastifyReply;
}

/** What every surface's routes are registered with (from `createApp`). */
export interface SurfaceDeps extends DialectDeps {
  metrics: Metrics;
  isReady: () => boolean;
  checkDatabase: () => Promise<boolean>;
  /** Whether the key custodies can sign (a PKCS#11 token may go away), for /readyz. */
  checkCustody: () => Promise<boolean>;
  uiAssets: UiAssets;
  /** The native API's OpenAPI document for one server URL. */
  openApiDocument: (serverUrl: string) => Record<string, unknown>;
  /** Every management audience the default server issues tokens for, for one tenant base URL. */
  managementAudiences: (tenantBaseUrl: string) => string[];
  /** The instance's one limiter, shared with the fast token path. */
  rateLimiter: RateLimiter;
  /** The per-request rules (the client address the limits key on). */
  rules: RequestRules;
}

/** The options a surface's routes plugin gets: the shared deps and its own descriptor. */
export interface SurfaceRouteOptions extends SurfaceDeps {
  descriptor: SurfaceDescriptor;
}

/**
 * Everything Signet knows about one API surface, in one place inside the surface's folder
 * (src/http/dialects/shared/README.md says how to add one). `createApp` and the error rendering
 * iterate over the list in src/http/surfaces.ts; nothing else switches over surfaces.
 */
export interface SurfaceDescriptor {
  /** The surface's name (documentation and error messages). */
  name: string;
  /** `root`: registered once at `/` (ops); `tenant`: for every tenant, at `/`, `/t/{tenant}` and claimed hosts. */
  scope: 'root' | 'tenant';
  /** The prefix its routes are mounted under, below the tenant base (the native API's `/signet/v1`). */
  mount?: string;
  /** Its error envelopes, by the name its routes give in `config.surface`. */
  envelopes: Readonly<Record<string, ErrorEnvelope>>;
  /**
   * Path prefixes below the tenant base whose requests that match no route (404, malformed URL)
   * answer in one of its envelopes; the longest prefix wins, and a path that matches a route
   * pattern of another method takes that route's envelope first.
   */
  prefixes?: ReadonlyArray<{ prefix: string; envelope: string }>;
  /** The audience of its management access tokens, and whether it takes `SSWS` API tokens (Okta). */
  managementAudience?: ManagementAudience;
  /** Registers its routes: a Fastify plugin, encapsulated per surface. */
  routes: (app: FastifyInstance, options: SurfaceRouteOptions) => Promise<void>;
}

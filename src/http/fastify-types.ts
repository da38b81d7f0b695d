import type { Scope, Tenant } from '../domain/types.ts';
import type { Principal } from '../services/authorize.ts';

/**
 * The error envelope a route answers in: a name one surface descriptor declares in its
 * `envelopes` (src/http/surfaces.ts); `createApp` refuses a route naming an unknown one. Vendor
 * dialects' names are recorded in the audit log as `details.surface`.
 */
export type Surface = string;

/** The tenant a request addresses and the base URL it addressed it by (docs/spec.md §5). */
export interface ResolvedTenant {
  tenant: Tenant;
  /** `{baseUrl}`, `{baseUrl}/t/{tenant}` or `{scheme}://{claimed host}`, without a trailing slash. */
  baseUrl: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    resolved: ResolvedTenant | null;
    principal: Principal | null;
  }
  interface FastifySchema {
    /** OpenAPI operation summary, description and tags (not used for validation). */
    summary?: string;
    description?: string;
    tags?: string[];
  }
  interface FastifyContextConfig {
    surface?: Surface;
    /** The scope a native route requires; routes without one are public. */
    scope?: Scope;
    /** The vendor scopes a dialect route requires, all of them (src/domain/scope-catalog.ts). */
    vendorScopes?: readonly string[];
    /** The dialect's exact 403 message when a vendor scope is missing. */
    forbiddenMessage?: string;
  }
}

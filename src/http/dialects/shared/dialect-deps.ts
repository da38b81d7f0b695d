import type { AccessTokenVerifier } from '../../../crypto/verify-access-token.ts';
import type { Registry } from '../../../runtime/create-registry.ts';
import type { Services } from '../../../services/create-services.ts';

/** What every dialect plugin is registered with (from `createApp`). */
export interface DialectDeps {
  services: Services;
  registry: Registry;
  verifier: AccessTokenVerifier;
  /** Public base URL of the root tenant. */
  baseUrl: string;
  rootTenantId: string;
  now: () => number;
}

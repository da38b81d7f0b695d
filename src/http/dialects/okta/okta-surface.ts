import type { SurfaceDescriptor } from '../../surface-descriptor.ts';
import { oktaErrorEnvelope } from './okta-error-envelope.ts';
import { oktaRoutes } from './okta-routes.ts';

/**
 * The Okta dialect (vendor-contracts §2): management API under `/api/v1`, tokens from the org
 * server whose audience is the org URL (the tenant base, what Okta's org server puts in `aud`),
 * and `SSWS` API tokens besides Bearer ones.
 */
export const oktaSurface: SurfaceDescriptor = {
  name: 'okta',
  scope: 'tenant',
  envelopes: { okta: oktaErrorEnvelope },
  prefixes: [{ prefix: '/api/v1/', envelope: 'okta' }],
  managementAudience: { audienceFor: (tenantBaseUrl) => tenantBaseUrl, ssws: true },
  routes: oktaRoutes,
};

import type { FastifyInstance } from 'fastify';
import type { SurfaceRouteOptions } from '../../surface-descriptor.ts';
import { acceptEmptyJsonBodies } from '../shared/accept-empty-json-bodies.ts';
import { guardDialect } from '../shared/guard-dialect.ts';
import { oktaAuthorizationServerRoutes } from './authorization-server-routes.ts';
import { oktaCsrRoutes } from './csr-routes.ts';
import { oktaIdpRoutes } from './idp-routes.ts';
import { oktaIdpSigningKeyRoutes } from './idp-signing-key-routes.ts';
import { oktaKeyStoreRoutes } from './key-store-routes.ts';
import { oktaTokenRoutes } from './okta-token-routes.ts';

/**
 * The Okta dialect of one tenant (docs/vendor-contracts.md §2): the org token endpoint and the management
 * API under /api/v1 (authorization-server keys, identity providers, their signing keys, the global
 * IdP key store and CSRs) with `SSWS` or Bearer credentials holding `okta.*` scopes, and errors in
 * Okta's envelope.
 */
export async function oktaRoutes(app: FastifyInstance, deps: SurfaceRouteOptions): Promise<void> {
  guardDialect(app, deps);
  acceptEmptyJsonBodies(app);
  await app.register(oktaTokenRoutes, deps);
  const options = { services: deps.services };
  await app.register(oktaAuthorizationServerRoutes, options);
  await app.register(oktaIdpRoutes, options);
  await app.register(oktaIdpSigningKeyRoutes, options);
  await app.register(oktaKeyStoreRoutes, options);
  await app.register(oktaCsrRoutes, options);
}

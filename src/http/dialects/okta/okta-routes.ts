import type { FastifyInstance } from 'fastify';
import { guardDialect } from '../shared/guard-dialect.ts';
import type { DialectDeps } from '../shared/dialect-deps.ts';
import { oktaAuthorizationServerRoutes } from './authorization-server-routes.ts';
import { oktaCsrRoutes } from './csr-routes.ts';
import { oktaIdpRoutes } from './idp-routes.ts';
import { oktaIdpSigningKeyRoutes } from './idp-signing-key-routes.ts';
import { oktaKeyStoreRoutes } from './key-store-routes.ts';

/**
 * The Okta management dialect of one tenant (vendor-contracts §2): authorization-server keys,
 * identity providers, their signing keys, the global IdP key store and CSRs, all under `/api/v1`
 * with `SSWS` or Bearer credentials holding `okta.*` scopes, and errors in Okta's envelope.
 */
export async function oktaRoutes(app: FastifyInstance, deps: DialectDeps): Promise<void> {
  guardDialect(app, 'okta', deps);
  const options = { services: deps.services };
  await app.register(oktaAuthorizationServerRoutes, options);
  await app.register(oktaIdpRoutes, options);
  await app.register(oktaIdpSigningKeyRoutes, options);
  await app.register(oktaKeyStoreRoutes, options);
  await app.register(oktaCsrRoutes, options);
}

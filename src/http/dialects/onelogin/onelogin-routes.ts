import type { FastifyInstance } from 'fastify';
import type { SurfaceRouteOptions } from '../../surface-descriptor.ts';
import { acceptEmptyJsonBodies } from '../shared/accept-empty-json-bodies.ts';
import { guardDialect } from '../shared/guard-dialect.ts';
import { oneLoginKeyRoutes } from './onelogin-key-routes.ts';
import { oneLoginPublicRoutes } from './onelogin-public-routes.ts';
import { oneLoginTokenRoutes } from './onelogin-token-routes.ts';

/** The OneLogin dialect of one tenant: Generate Token v2 and the OIDC v2 signing-key API. */
export async function oneLoginRoutes(app: FastifyInstance, deps: SurfaceRouteOptions): Promise<void> {
  guardDialect(app, deps);
  acceptEmptyJsonBodies(app);
  await app.register(oneLoginTokenRoutes, deps);
  await app.register(oneLoginKeyRoutes, deps);
  await app.register(oneLoginPublicRoutes, deps);
}

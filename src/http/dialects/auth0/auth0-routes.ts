import type { FastifyInstance } from 'fastify';
import type { SurfaceRouteOptions } from '../../surface-descriptor.ts';
import { acceptEmptyJsonBodies } from '../shared/accept-empty-json-bodies.ts';
import { guardDialect } from '../shared/guard-dialect.ts';
import { auth0CertificateRoutes } from './auth0-certificate-routes.ts';
import { auth0KeyRoutes } from './auth0-key-routes.ts';

/** The Auth0 dialect of one tenant: the Management API's signing keys and the certificate endpoints. */
export async function auth0Routes(app: FastifyInstance, deps: SurfaceRouteOptions): Promise<void> {
  guardDialect(app, deps);
  acceptEmptyJsonBodies(app);
  await app.register(auth0KeyRoutes, deps);
  await app.register(auth0CertificateRoutes, deps);
}

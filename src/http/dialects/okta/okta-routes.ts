import type { FastifyInstance } from 'fastify';
import type { DialectDeps } from '../shared/dialect-deps.ts';
import { acceptEmptyJsonBodies } from '../shared/accept-empty-json-bodies.ts';
import { guardDialect } from '../shared/guard-dialect.ts';
import { oktaTokenRoutes } from './okta-token-routes.ts';

/** The Okta dialect of one tenant: the org token endpoint and the management API under /api/v1. */
export async function oktaRoutes(app: FastifyInstance, deps: DialectDeps): Promise<void> {
  guardDialect(app, 'okta', deps);
  acceptEmptyJsonBodies(app);
  await app.register(oktaTokenRoutes, deps);
}

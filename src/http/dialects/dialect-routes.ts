import type { FastifyInstance } from 'fastify';
import { auth0Routes } from './auth0/auth0-routes.ts';
import { oktaRoutes } from './okta/okta-routes.ts';
import { oneLoginRoutes } from './onelogin/onelogin-routes.ts';
import type { DialectDeps } from './shared/dialect-deps.ts';

/** The three vendor dialects of one tenant, each an encapsulated plugin with its own guard. */
export async function dialectRoutes(app: FastifyInstance, deps: DialectDeps): Promise<void> {
  await app.register(oneLoginRoutes, deps);
  await app.register(auth0Routes, deps);
  await app.register(oktaRoutes, deps);
}

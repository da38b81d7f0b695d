import type { FastifyInstance } from 'fastify';
import type { DialectDeps } from '../shared/dialect-deps.ts';
import { guardDialect } from '../shared/guard-dialect.ts';

/** The Auth0 dialect of one tenant: the Management API's signing keys and the certificate endpoints. */
export async function auth0Routes(app: FastifyInstance, deps: DialectDeps): Promise<void> {
  guardDialect(app, 'auth0', deps);
}

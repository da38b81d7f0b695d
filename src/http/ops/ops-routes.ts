import type { FastifyInstance } from 'fastify';
import type { SurfaceRouteOptions } from '../surface-descriptor.ts';

/**
 * Liveness, readiness and Prometheus metrics, at the root only. An instance whose database is
 * unreachable stays ready: JWKS, discovery and tokens are served from memory, so taking it out of a
 * load balancer would only cut that traffic. `/readyz` says `degraded` and `database: unreachable`
 * so monitoring sees it, and management calls answer 503 until the database is back.
 */
export async function opsRoutes(
  app: FastifyInstance,
  { metrics, isReady, checkDatabase, checkCustody }: SurfaceRouteOptions,
): Promise<void> {
  const config = { surface: 'ops' as const };
  app.get('/healthz', { config }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config }, async (_request, reply) => {
    if (!isReady()) return reply.code(503).send({ status: 'starting' });
    const [database, custody] = await Promise.all([
      checkDatabase().then((ok) => (ok ? 'ok' : 'unreachable')),
      // A PKCS#11 token that went away: JWKS and sealed key sets still serve, its keys answer 503.
      checkCustody().then((ok) => (ok ? 'ok' : 'unavailable')),
    ]);
    const status = database === 'ok' && custody === 'ok' ? 'ready' : 'degraded';
    return reply.code(200).send({ status, database, custody });
  });
  app.get('/metrics', { config }, async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.render()),
  );
}

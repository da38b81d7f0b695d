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
  { metrics, isReady, checkDatabase }: SurfaceRouteOptions,
): Promise<void> {
  const config = { surface: 'ops' as const };
  app.get('/healthz', { config }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config }, async (_request, reply) => {
    if (!isReady()) return reply.code(503).send({ status: 'starting' });
    const database = (await checkDatabase()) ? 'ok' : 'unreachable';
    return reply.code(200).send({ status: database === 'ok' ? 'ready' : 'degraded', database });
  });
  app.get('/metrics', { config }, async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.render()),
  );
}

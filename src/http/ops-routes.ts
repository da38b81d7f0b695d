import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics/create-metrics.ts';

/** Liveness, readiness and Prometheus metrics, at the root only. */
export async function opsRoutes(app: FastifyInstance, { metrics, isReady }: { metrics: Metrics; isReady: () => boolean }): Promise<void> {
  const config = { surface: 'ops' as const };
  app.get('/healthz', { config }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config }, async (_request, reply) => {
    const ready = isReady();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting' });
  });
  app.get('/metrics', { config }, async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()));
}

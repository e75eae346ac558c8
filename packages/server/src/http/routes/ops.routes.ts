/** Operations: liveness/readiness and Prometheus metrics, outside the API base path. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context';

export function opsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      await ctx.store.ping();
      checks.store = 'ok';
    } catch {
      checks.store = 'failing';
      ok = false;
    }
    const { roles } = ctx.config;
    if (ctx.cluster) checks.partitions = roles.processor ? ctx.cluster.ownedPartitions().join(',') || 'none yet' : 'not a processor';
    else checks.processor = `lag ${(await ctx.store.observations.lastId()) - ctx.processor.position}`;
    checks.roles = Object.entries(roles)
      .filter(([, on]) => on)
      .map(([r]) => r)
      .join(',');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'failing', version: ctx.version, engine: ctx.store.engine, checks });
  });
  // Public like most Prometheus endpoints: counts only, no cargo or device data.
  app.get('/metrics', async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}

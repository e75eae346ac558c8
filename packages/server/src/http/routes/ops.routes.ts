/**
 * Operations, outside the API base path: liveness, readiness and Prometheus metrics.
 * - `/healthz/live`: the process runs and its event loop answers (restart it when this fails).
 * - `/healthz/ready` (and `/healthz`, as documented before): every dependency this process's roles
 *   need answers; 503 while one fails (take it out of the load balancer, do not restart it).
 *   `degraded` (low disk, lag over the limit) still answers 200.
 * - `/metrics` always answers: a gauge whose source fails keeps its last value and says so in
 *   `sealwatch_collector_up`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../app-context';

export function opsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const started = Date.now();
  const ready = async (reply: FastifyReply) => {
    const report = await ctx.health.evaluate();
    const { roles } = ctx.config;
    return reply.code(report.status === 'failing' ? 503 : 200).send({
      status: report.status,
      version: ctx.version,
      mode: ctx.cluster ? 'cluster' : 'embedded',
      engine: ctx.store.engine,
      roles: Object.entries(roles)
        .filter(([, on]) => on)
        .map(([r]) => r),
      ...(ctx.cluster && roles.processor ? { partitions: ctx.cluster.ownedPartitions() } : {}),
      checks: report.checks,
    });
  };
  app.get('/healthz', async (_req, reply) => ready(reply));
  app.get('/healthz/ready', async (_req, reply) => ready(reply));
  app.get('/healthz/live', async () => ({ status: 'ok', version: ctx.version, uptimeS: Math.round((Date.now() - started) / 1000) }));
  // Public like most Prometheus endpoints: counts only, no cargo or device data.
  app.get('/metrics', async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}

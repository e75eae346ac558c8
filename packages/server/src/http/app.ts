/**
 * The HTTP server: API v1, OpenAPI document and docs, console, health and metrics. Every
 * error leaves as an RFC 9457 problem; unknown errors are logged with the request id and never
 * leak a stack trace.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@sealwatch/core';
import type { AppContext } from '../app-context';
import { IngestOverloadedError } from '../ingest/group-commit';
import { DependencyUnavailableError, isStoreUnavailable } from '../ingest/unavailable';
import { installApiRateLimit, RateLimitedError } from './rate-limit';
import { readTlsFiles } from './tls';
import { buildOpenApiDocument } from './openapi';
import { domainStatus, problem } from './problem';
import { Api } from './route';
import { alertRoutes } from './routes/alert.routes';
import { incidentRoutes } from './routes/incident.routes';
import { notificationRoutes } from './routes/notification.routes';
import { auditRoutes } from './routes/audit.routes';
import { webhookRoutes } from './routes/webhook.routes';
import { reportRoutes } from './routes/report.routes';
import { accessRoutes } from './routes/access.routes';
import { consoleRoutes } from './routes/console.routes';
import { ingestRoutes, quarantineRoutes } from './routes/ingest.routes';
import { deviceIntegrationRoutes, integrationRoutes } from './routes/integration.routes';
import { movementRoutes } from './routes/movement.routes';
import { opsRoutes } from './routes/ops.routes';
import { registryRoutes } from './routes/registry.routes';
import { deviceKeyRoutes } from './routes/device-key.routes';
import { riskRoutes } from './routes/risk.routes';
import { commandRoutes } from './routes/command.routes';
import { custodyRoutes } from './routes/custody.routes';
import { lendingConsentRoutes } from './routes/lending-consent.routes';
import { streamRoutes } from './routes/stream.routes';
import { nctsRoutes } from './routes/ncts.routes';
import { iftstaRoutes } from './routes/iftsta.routes';
import { trainingRoutes } from './routes/training.routes';
import { installTrainingGateway } from '../training/training-gateway';
import { federationRoutes } from './routes/federation.routes';
import { epcisRoutes } from './routes/epcis.routes';
import { epcisSubscriptionRoutes } from './routes/epcis-subscription.routes';
import { epcisQueryRoutes } from './routes/epcis-query.routes';
import { EpcisSocketHub } from '../exchange/epcis-sockets';
import { routeWebSocketUpgrades } from './websocket-upgrade';
import { dcsaRoutes } from './routes/dcsa.routes';

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** How often EPCIS WebSocket subscriptions are pinged and their credentials checked again. */
const WEBSOCKET_KEEPALIVE_MS = 15_000;

/** Which routes a process serves: the management API and console (api role), device ingest (gateway role). */
export interface HttpSurface {
  api: boolean;
  ingest: boolean;
}

/** `log`: the platform's log, which request lines and errors go to; false: none. */
export async function buildHttpApp(
  ctx: AppContext,
  log: FastifyBaseLogger | false = false,
  surface: HttpSurface = { api: true, ingest: true },
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(log ? { loggerInstance: log } : { logger: false }),
    bodyLimit: 256 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: false,
    // SSE clients hold connections open; closing the server must not wait for them.
    forceCloseConnections: true,
    // One line per request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // SEALWATCH_TLS_CERT/KEY: HTTPS only (no plain port beside it).
    ...(ctx.config.tls ? { https: readTlsFiles(ctx.config.tls) } : {}),
  }) as unknown as FastifyInstance;

  app.addContentTypeParser('application/jose', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // Native protocol v1 as COSE_Sign1 / COSE_Mac0 (RFC 9052 §2: application/cose; cose-type=…).
  app.addContentTypeParser('application/cose', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // Newline-delimited JSON (Impinj readers' stream form): kept as text, the protocol library splits it.
  // Exchange documents (NCTS CC029C): kept as text, core/exchange reads them.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // EPCIS 2.0 documents are JSON-LD.
  app.addContentTypeParser('application/ld+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req) => {
    (req as { startedAt?: bigint }).startedAt = process.hrtime.bigint();
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!req.url.startsWith('/docs')) {
      reply.header('content-security-policy', CSP);
      reply.header('x-frame-options', 'DENY');
    }
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    const started = (req as { startedAt?: bigint }).startedAt;
    const seconds = started ? Number(process.hrtime.bigint() - started) / 1e9 : 0;
    const route = req.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, seconds);
    // In-process calls (the demo fleet) are chatty: debug level. Never log headers (tokens).
    const level = req.headers['user-agent'] === 'lightMyRequest' ? 'debug' : 'info';
    req.log[level]({ method: req.method, url: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(seconds * 1000) }, 'request');
  });

  app.setErrorHandler((error, req, reply) => {
    const send = (p: ReturnType<typeof problem>) =>
      reply
        .code(p.status)
        .type('application/problem+json')
        .send({ ...p, instance: req.url.split('?')[0], requestId: req.id });
    if (error instanceof DomainError)
      return send(
        problem(domainStatus(error.code, error.details), error.code, error.message, error.details ? { details: error.details } : {}),
      );
    // A dependency that does not answer is named (store_unavailable, log_unavailable), apart from overload.
    if (error instanceof DependencyUnavailableError || isStoreUnavailable(error)) {
      const cause = error instanceof DependencyUnavailableError ? error : new DependencyUnavailableError('store', error as Error);
      reply.header('retry-after', String(cause.retryAfterS));
      return send(problem(503, cause.code, cause.message));
    }
    if (error instanceof IngestOverloadedError) {
      reply.header('retry-after', String(error.retryAfterS));
      return send(problem(503, 'overloaded', error.message));
    }
    if (error instanceof RateLimitedError) {
      reply.header('retry-after', String(error.retryAfterS));
      return send(problem(429, 'rate_limited', error.message));
    }
    const e = error as { statusCode?: number; code?: string; message: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(problem(413, 'payload_too_large', 'the request body is too large'));
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return send(problem(415, 'unsupported_media_type', 'use application/json (or application/jose for one device message)'));
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return send(problem(e.statusCode, 'bad_request', e.message));
    req.log.error({ err: error }, 'unhandled error');
    return send(problem(500, 'internal_error', `internal error; quote request id ${req.id}`));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send({ ...problem(404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`), requestId: req.id }),
  );

  // A run's token is taken to the run's own space before anything of the live platform sees it.
  if (surface.api) installTrainingGateway(app, ctx.training);
  const api = new Api(app, (headers) => ctx.access.authenticate(headers), ctx.audit, ctx);
  installApiRateLimit(app, api, ctx.config.rate);
  if (surface.api) {
    registryRoutes(api, ctx);
    deviceKeyRoutes(api, ctx);
    movementRoutes(api, ctx);
    alertRoutes(api, ctx);
    incidentRoutes(api, ctx);
    notificationRoutes(api, ctx);
    quarantineRoutes(api, ctx);
    streamRoutes(api, ctx);
    auditRoutes(api, ctx);
    webhookRoutes(api, ctx);
    reportRoutes(api, ctx);
    accessRoutes(api, ctx);
    integrationRoutes(api, ctx);
    riskRoutes(api, ctx);
    commandRoutes(api, ctx);
    custodyRoutes(api, ctx);
    lendingConsentRoutes(api, ctx);
    nctsRoutes(api, ctx);
    iftstaRoutes(api, ctx);
    trainingRoutes(api, ctx);
    federationRoutes(api, ctx);
    epcisRoutes(api, ctx);
    epcisSubscriptionRoutes(api, ctx);
    // EPCIS query subscriptions over WebSocket: handshakes are routed like any request.
    const sockets = new EpcisSocketHub({
      ...ctx,
      log: app.log,
      keepaliveMs: WEBSOCKET_KEEPALIVE_MS,
    });
    epcisQueryRoutes(api, ctx, sockets);
    routeWebSocketUpgrades(app);
    app.addHook('preClose', () => sockets.stop());
    app.decorate('epcisSockets', sockets);
    dcsaRoutes(api, ctx);
  }
  if (surface.ingest) {
    ingestRoutes(api, ctx);
    deviceIntegrationRoutes(api, ctx);
  }
  const document = buildOpenApiDocument(api, ctx.version);
  app.get('/api/v1/openapi.json', async () => document);
  if (surface.api) {
    await app.register(swagger, { mode: 'static', specification: { document: document as never } });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    consoleRoutes(app);
  }
  opsRoutes(app, ctx);
  return app;
}

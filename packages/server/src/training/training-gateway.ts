/**
 * The door between the console and a run's space: a request carrying a run's token goes, whole and
 * streamed (the SSE stream included), to the run's platform on its loopback port; every other
 * request stays on the live platform. The live platform never answers a run token and the run
 * never sees a live credential (cookies are not forwarded), so the two cannot read each other.
 * `GET /api/v1/training/session` is answered here: what the console shows on its TRAINING banner
 * (204 and nothing for any request that does not carry a running run's token).
 */
import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { TrainingService } from './training.service';
import { problem } from '../http/problem';

/** Paths a run's token is taken to the run for: the API and the standards' roots. */
const RUN_PATHS = ['/api/v1/', '/epcis', '/dcsa/'];
export const TRAINING_SESSION_PATH = '/api/v1/training/session';

export function installTrainingGateway(app: FastifyInstance, training: TrainingService): void {
  app.addHook('onRequest', async (req, reply) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const session = req.url.split('?')[0] === TRAINING_SESSION_PATH;
    const found = token && RUN_PATHS.some((p) => req.url.startsWith(p)) ? training.runOfToken(token) : null;
    // A live console asks too: no run is said with an empty answer, not a 404 in every page load's log.
    if (!found) return session ? reply.code(204).send() : undefined;
    const { run, port } = found;
    if (req.url.split('?')[0] === TRAINING_SESSION_PATH) {
      const e = training.exercise(run.exercise);
      return reply.send({
        run: run.id,
        exercise: {
          id: e.id,
          title: e.title,
          summary: e.summary,
          objectives: e.objectives,
          language: e.language ?? 'en',
          translations: e.translations ?? {},
        },
        trainee: run.traineeName,
        status: run.status,
        startedAt: run.startedAt,
        endsAt: run.endsAt,
      });
    }
    reply.hijack();
    const { cookie: _cookie, host: _host, ...headers } = req.headers;
    const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (res) => {
      reply.raw.writeHead(res.statusCode ?? 502, { ...res.headers, 'x-sealwatch-training-run': run.id });
      res.pipe(reply.raw);
    });
    upstream.on('error', () => {
      if (reply.raw.headersSent) return void reply.raw.destroy();
      reply.raw.writeHead(503, { 'content-type': 'application/problem+json' });
      reply.raw.end(JSON.stringify(problem(503, 'training_space_unavailable', 'the training run has ended or is not reachable')));
    });
    reply.raw.on('close', () => upstream.destroy());
    req.raw.pipe(upstream);
  });
}

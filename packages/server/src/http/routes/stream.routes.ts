/**
 * Server-Sent Events: observations, events and alerts as they are committed. A client that
 * cannot keep up is disconnected rather than buffered without bound; it reconnects and
 * re-reads the lists.
 */
import { can, forReader } from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import type { StreamMessage } from '../../stream/stream-bus';
import { observationView } from '../views';
import { streamGate } from '../../access/stream-scope';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;
const kinds = ['observation', 'event', 'alert', 'incident', 'movement'] as const;

export function streamRoutes(api: Api, ctx: AppContext): void {
  api.route({
    method: 'GET',
    url: '/api/v1/stream',
    operationId: 'stream',
    tag: 'stream',
    auth: 'user',
    permission: 'stream.read',
    summary:
      'Server-Sent Events (`event:` observation | event | alert | incident | movement, `data:` the item as JSON). `kinds` limits what is sent.',
    query: z.object({
      kinds: z
        .string()
        .regex(/^[a-z,]*$/)
        .optional(),
      movement: z.string().max(128).optional(),
    }),
    responses: { 200: { description: 'text/event-stream', contentType: 'text/event-stream', schema: z.string() } },
    handler: async ({ query, request, reply, principal }) => {
      const gate = await streamGate(principal, ctx.store, ctx.scopes);
      const wanted = new Set(query.kinds ? query.kinds.split(',').filter((k) => (kinds as readonly string[]).includes(k)) : kinds);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 3000\n: connected ${new Date(ctx.now()).toISOString()}\n\n`);
      let n = 0;
      const matches = (m: StreamMessage) => {
        if (!wanted.has(m.kind)) return false;
        if (!query.movement) return true;
        if (m.kind === 'movement') return m.data.id === query.movement;
        if (m.kind === 'observation') return true;
        return m.data.movement === query.movement;
      };
      const send = (m: StreamMessage) => {
        if (!matches(m) || !gate.allows(m)) return;
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          request.log.warn({ buffered: res.writableLength }, 'stream client too slow; disconnecting');
          res.destroy();
          return;
        }
        // The same views as the GETs: a trader reads alerts and incidents without the customs side's notes.
        const data =
          m.kind === 'observation'
            ? observationView(m.data)
            : m.kind === 'alert' || m.kind === 'incident'
              ? forReader(m.data, principal)
              : m.data;
        res.write(`id: ${++n}\nevent: ${m.kind}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      // Movement messages may widen the visible set first (a newly declared movement in scope).
      const unsubscribe = ctx.bus.subscribe((m) => {
        if (m.kind === 'movement')
          void gate.track(m.data).then(
            () => send(m),
            () => undefined,
          );
        else send(m);
      });
      // A revoked token, an ended session or a disabled user ends the stream at the next keepalive.
      const credentials = { authorization: request.headers.authorization, cookie: request.headers.cookie };
      const keepalive = setInterval(() => {
        void ctx.access.authenticate(credentials).then(
          (who) => {
            if (who && can(who.principal, 'stream.read')) res.write(': ping\n\n');
            else res.end();
          },
          () => undefined,
        );
      }, KEEPALIVE_MS);
      const close = () => {
        clearInterval(keepalive);
        unsubscribe();
      };
      res.on('close', close);
      res.on('error', close);
    },
  });
}

/**
 * A vendor protocol over HTTP (OsmAnd / Traccar Client), on its own port: GET or POST, one request
 * decoded by the protocol (`decodeRequest`). Answers 200 once the position is durable, 400 for a
 * request it cannot accept (the reason is in the body, and the request is quarantined), 503 with
 * Retry-After when ingest is overloaded.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { ProtocolDescriptor } from '@sealwatch/protocols';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './vendor-listener';

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Starts the HTTP listener of protocol `p`; resolves null (logged) when the port is busy. */
export async function startHttpListener(
  p: ProtocolDescriptor,
  o: { port: number; host: string; portVariable: string; ingest: Pick<VendorIngestService, 'ingest'>; log: Pick<Logger, 'info' | 'warn'> },
): Promise<VendorListener | null> {
  const server: Server = createServer(async (req, res) => {
    const reply = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(text);
    };
    if (req.method !== 'GET' && req.method !== 'POST') return reply(405, 'use GET or POST', { allow: 'GET, POST' });
    const body = await readBody(req);
    if (body === null) return reply(413, 'request too large');
    const url = req.url ?? '/';
    const raw = Buffer.concat([Buffer.from(`${req.method} ${url}\n`), body]);
    const decoded = p.decodeRequest!({ query: url, contentType: req.headers['content-type'], body: body.toString('utf8') });
    try {
      const results = await o.ingest.ingest(p.name, raw, decoded, {
        transport: `http:${p.name}`,
        remote: req.socket.remoteAddress ?? null,
      });
      const refused = results.find((r) => r.status === 'rejected');
      if (refused) return reply(400, `${refused.reason}: ${refused.detail ?? ''}`);
      return reply(200, '');
    } catch (e) {
      if (e instanceof IngestOverloadedError) return reply(503, 'retry later', { 'retry-after': String(e.retryAfterS) });
      return reply(500, 'internal error');
    }
  });
  const bound = await new Promise<number | null>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      o.log.warn({ port: o.port, code: e.code }, `${p.label} listener not started: port ${o.port} is busy (${o.portVariable})`);
      resolve(null);
    });
    server.listen(o.port, o.host, () => resolve((server.address() as { port: number }).port));
  });
  if (bound === null) return null;
  return { port: bound, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The OsmAnd / Traccar Client listener (HTTP, port 5055 by default, SEALWATCH_PORT_OSMAND).
 * Answers 200 once the position is durable, 400 for a request it cannot accept (the reason is
 * in the body, and the request is quarantined), 503 with Retry-After when ingest is overloaded.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Logger } from 'pino';
import { decodeOsmAnd } from '@sealwatch/protocols';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { VendorIngestService } from '../ingest/vendor-ingest';

const MAX_BODY = 64 * 1024;

export interface VendorListener {
  port: number;
  close(): Promise<void>;
}

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

/** Starts the listener; resolves null (logged) when the port is busy, so the platform still starts. */
export async function startOsmAndListener(options: { port: number; host: string; ingest: VendorIngestService; log: Pick<Logger, 'info' | 'warn'> }): Promise<VendorListener | null> {
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
    const contentType = req.headers['content-type'];
    try {
      const results = await options.ingest.ingest('osmand', raw, decodeOsmAnd({ query: url, contentType, body: body.toString('utf8') }), { transport: 'http:osmand', remote: req.socket.remoteAddress ?? null });
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
      options.log.warn({ port: options.port, code: e.code }, `OsmAnd listener not started: port ${options.port} is busy (SEALWATCH_PORT_OSMAND)`);
      resolve(null);
    });
    server.listen(options.port, options.host, () => resolve((server.address() as { port: number }).port));
  });
  if (bound === null) return null;
  options.log.info({ port: bound }, 'OsmAnd listener ready');
  return { port: bound, close: () => new Promise<void>((r) => server.close(() => r())) };
}

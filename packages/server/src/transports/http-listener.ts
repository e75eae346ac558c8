/**
 * A vendor protocol over HTTP (OsmAnd / Traccar Client), on its own port: GET or POST, one request
 * decoded by the protocol (`decodeRequest`). Answers 200 once the position is durable, 400 for a
 * request it cannot accept (the reason is in the body, and the request is quarantined), 503 with
 * Retry-After when ingest is overloaded.
 */
import { STATUS_CODES, createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ProtocolDescriptor } from '@sealwatch/protocols';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './vendor-listener';

const MAX_BODY = 64 * 1024;

interface Answer {
  status: number;
  text: string;
  headers?: Record<string, string>;
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

/** Starts the HTTP listener of protocol `p`; resolves null (logged) when the port is busy. */
export async function startHttpListener(
  p: ProtocolDescriptor,
  o: { port: number; host: string; portVariable: string; ingest: Pick<VendorIngestService, 'ingest'>; log: Pick<Logger, 'info' | 'warn'> },
): Promise<VendorListener | null> {
  /** Decodes and ingests one request: the status, text and headers of the answer. */
  const serve = async (
    method: string,
    url: string,
    contentType: string | undefined,
    body: Buffer,
    remote: string | null,
  ): Promise<Answer> => {
    const raw = Buffer.concat([Buffer.from(`${method} ${url}\n`), body]);
    const decoded = p.decodeRequest!({ query: url, contentType, body: body.toString('utf8') });
    try {
      const results = await o.ingest.ingest(p.name, raw, decoded, { transport: `http:${p.name}`, remote });
      const refused = results.find((r) => r.status === 'rejected');
      if (refused) return { status: 400, text: `${refused.reason}: ${refused.detail ?? ''}` };
      return { status: 200, text: '' };
    } catch (e) {
      if (e instanceof IngestOverloadedError)
        return { status: 503, text: 'retry later', headers: { 'retry-after': String(e.retryAfterS) } };
      return { status: 500, text: 'internal error' };
    }
  };
  const server: Server = createServer(async (req, res) => {
    const reply = ({ status, text, headers = {} }: Answer) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(text);
    };
    if (req.method !== 'GET' && req.method !== 'POST')
      return reply({ status: 405, text: 'use GET or POST', headers: { allow: 'GET, POST' } });
    const body = await readBody(req);
    if (body === null) return reply({ status: 413, text: 'request too large' });
    reply(await serve(req.method, req.url ?? '/', req.headers['content-type'], body, req.socket.remoteAddress ?? null));
  });
  // Traccar's own test client (tools/test-generator.py) sends `GET ?id=…` with no path, which Node's
  // parser refuses (HPE_INVALID_URL) before a handler sees it: such a GET is read from the raw bytes,
  // served as `/?id=…`, and answered with the connection closed (the parser cannot go on after it).
  server.on('clientError', (e: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    const line =
      e.code === 'HPE_INVALID_URL' && e.rawPacket ? /^GET (\?[^ \r\n]*) HTTP\/1\.[01]\r?\n/.exec(e.rawPacket.toString('latin1')) : null;
    if (!line || !socket.writable) {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      else socket.destroy();
      return;
    }
    void serve('GET', `/${line[1]}`, undefined, Buffer.alloc(0), (socket as Socket).remoteAddress ?? null).then(
      ({ status, text, headers = {} }) => {
        const head = Object.entries({
          'content-type': 'text/plain; charset=utf-8',
          ...headers,
          'content-length': String(Buffer.byteLength(text)),
          connection: 'close',
        });
        socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${text}`);
      },
    );
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

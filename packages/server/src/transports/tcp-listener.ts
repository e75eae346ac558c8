/**
 * The TCP skeleton of the vendor listeners (listener-host.ts): the server and its busy-port
 * fallback, and per connection the frame queue with its byte bound, the idle timeout, the one-time
 * close, and ingest until durable (reading paused and the same frame retried while ingest is
 * overloaded). What a frame means and what the device is answered is the session (stream-session.ts).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { DecodeResult } from '@sealwatch/protocols';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './vendor-listener';

/** One device connection, as a protocol session sees it. */
export interface TcpConnection {
  readonly socket: Socket;
  readonly remote: string | null;
  /** True once the connection is closed, by us or by the device. */
  readonly closed: boolean;
  /** Closes the connection without an answer (once; later calls do nothing) and logs why. */
  close(why: string, level?: 'info' | 'warn'): void;
  /** Ends the connection gracefully after a last reply, without the close log. */
  end(): void;
  /** Ingests until durable; null when the connection closed or ingest stayed overloaded too long. */
  ingestDurably(raw: Buffer, decoded: DecodeResult): Promise<IngestResult[] | null>;
  /** Quarantines bytes that cannot be served (best effort), then closes the connection with `why`. */
  refuse(raw: Buffer, detail: string, why: string): Promise<void>;
}

/** The protocol-specific part of one connection: splitting the stream and serving each frame. */
export interface TcpSession<F> {
  /** The connection's frame splitter: frames from chunks, and the bytes it holds undecoded. */
  readonly splitter: { push(chunk: Buffer): F[]; readonly buffered: number };
  /** Bytes a queued frame counts against the connection's bound. */
  frameSize(frame: F): number;
  /** Serves one frame; frames are served one at a time, in order. */
  handle(frame: F): Promise<void>;
  /** Fields added to the close log (e.g. the IMEI once known). */
  logFields?(): Record<string, unknown>;
}

export interface TcpListenerOptions<F> {
  /** The protocol name given to ingest (`tcp:<protocol>` is the transport). */
  protocol: string;
  /** The protocol's name in log lines, e.g. `JT600`. */
  label: string;
  /** The environment variable that sets the port, named in the busy-port warning. */
  portVariable: string;
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Bytes a connection may hold undecoded or waiting for ingest before it is closed. */
  maxBufferBytes: number;
  /** A connection silent this long is closed. */
  idleTimeoutMs: number;
  /** How long to pause reading after an overload before retrying; by default the error's retry-after. */
  overloadPauseMs?: number;
  /** Give up retrying one frame after this long: close without an answer, the device resends later. */
  maxOverloadWaitMs: number;
  /** Opens the protocol session of a new connection. */
  openSession(connection: TcpConnection): TcpSession<F>;
  /** PEM certificate and key: the listener speaks TLS only (SEALWATCH_TLS_LISTENERS). */
  tls?: { cert: Buffer; key: Buffer };
}

function serveConnection<F>(socket: Socket, o: TcpListenerOptions<F>): void {
  const remote = socket.remoteAddress ?? null;
  const ctx = { transport: `tcp:${o.protocol}`, remote };
  const queue: F[] = [];
  let queuedBytes = 0;
  let busy = false;
  let closed = false;

  const connection: TcpConnection = {
    socket,
    remote,
    get closed() {
      return closed;
    },
    close(why, level = 'info') {
      if (closed) return;
      closed = true;
      o.log[level]({ remote, ...session.logFields?.(), reason: why }, `${o.label} connection closed`);
      socket.destroy();
    },
    end() {
      closed = true;
      socket.end();
    },
    async ingestDurably(raw, decoded) {
      const giveUpAt = Date.now() + o.maxOverloadWaitMs;
      try {
        for (;;) {
          try {
            return await o.ingest.ingest(o.protocol, raw, decoded, ctx);
          } catch (e) {
            if (!(e instanceof IngestOverloadedError)) throw e;
            if (closed) return null;
            if (Date.now() >= giveUpAt) {
              connection.close('ingest overloaded for too long; not acknowledged', 'warn');
              return null;
            }
            // TCP backpressure: stop reading while the log catches up; the device waits for its answer.
            socket.pause();
            await new Promise((r) => setTimeout(r, o.overloadPauseMs ?? e.retryAfterS * 1000));
            if (closed) return null;
          }
        }
      } finally {
        if (!closed) socket.resume();
      }
    },
    async refuse(raw, detail, why) {
      await connection.ingestDurably(raw, { ok: false, detail }).catch(() => null);
      connection.close(why, 'warn');
    },
  };
  const session = o.openSession(connection);

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (queue.length && !closed) {
        const f = queue.shift()!;
        queuedBytes -= session.frameSize(f);
        await session.handle(f);
      }
    } catch (e) {
      connection.close(`internal error: ${(e as Error).message}`, 'warn');
    } finally {
      busy = false;
    }
  };

  socket.setTimeout(o.idleTimeoutMs, () => {
    connection.close('idle');
    socket.destroy(); // also after a graceful end() whose device never closed its side
  });
  socket.on('error', () => connection.close('socket error'));
  socket.on('close', () => {
    closed = true;
  });
  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    for (const f of session.splitter.push(chunk)) {
      queue.push(f);
      queuedBytes += session.frameSize(f);
    }
    if (session.splitter.buffered + queuedBytes > o.maxBufferBytes)
      return connection.close(`more than ${o.maxBufferBytes} bytes buffered`, 'warn');
    void pump();
  });
}

/**
 * Starts a vendor TCP listener; resolves null (logged as a warning) when the port is busy, so the
 * platform still starts. The caller logs "ready" (it may add to the listener, e.g. UDP). `close`
 * drops every open connection and stops the server.
 */
export async function startTcpListener<F>(o: TcpListenerOptions<F>): Promise<VendorListener | null> {
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, o);
  };
  // With TLS a session starts once the handshake is done; a TLSSocket is a Socket to the session.
  const server: Server = o.tls
    ? createTlsServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2' }, onSocket)
    : createServer(onSocket);
  const bound = await new Promise<number | null>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      o.log.warn({ port: o.port, code: e.code }, `${o.label} listener not started: port ${o.port} is busy (${o.portVariable})`);
      resolve(null);
    });
    server.listen(o.port, o.host, () => resolve((server.address() as { port: number }).port));
  });
  if (bound === null) return null;
  return {
    port: bound,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

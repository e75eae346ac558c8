/**
 * The Jointech JT600 listener (JT600 trackers, JT701/JT709 e-locks, GL600; TCP on port 5014 by
 * default, SEALWATCH_PORT_JT600). There is no handshake: every frame names its device. Each frame
 * is decoded, ingested (trust `unverified`, only for devices registered for protocol `jt600`), and
 * the reply the device waits for ((P35), (P69,0,<index>)) is written only once ingest resolved,
 * i.e. the observations are durable. When ingest is overloaded the socket is paused and the same
 * frame retried. A frame that does not decode is quarantined (malformed_frame) and the connection
 * kept, since frames stay delimited; bytes that are no frame, or a device that is not registered
 * for jt600, close the connection without an answer, so the device keeps its data.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { Jt600FrameSplitter, decodeJt600Frame, type DecodeResult, type Jt600Frame } from '@sealwatch/protocols';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './osmand-listener';

export interface Jt600ListenerOptions {
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Bytes a connection may hold undecoded or waiting for ingest before it is closed. */
  maxBufferBytes?: number;
  /** A connection silent this long is closed (devices reconnect when they have data). */
  idleTimeoutMs?: number;
  /** How long to pause reading after an overload before retrying; by default the error's retry-after. */
  overloadPauseMs?: number;
  /** Give up retrying one frame after this long: close without an answer, the device resends later. */
  maxOverloadWaitMs?: number;
}

const PROTOCOL = 'jt600';
const refusedDevice = (r: IngestResult) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';

function serveConnection(socket: Socket, o: Required<Omit<Jt600ListenerOptions, 'overloadPauseMs'>> & { overloadPauseMs?: number }): void {
  const remote = socket.remoteAddress ?? null;
  const ctx = { transport: 'tcp:jt600', remote };
  const splitter = new Jt600FrameSplitter();
  const queue: Jt600Frame[] = [];
  let queuedBytes = 0;
  let busy = false;
  let closed = false;

  const close = (why: string, level: 'info' | 'warn' = 'info') => {
    if (closed) return;
    closed = true;
    o.log[level]({ remote, reason: why }, 'JT600 connection closed');
    socket.destroy();
  };

  /** Ingests until durable; null when the connection closed or ingest stayed overloaded too long. */
  const ingestDurably = async (raw: Buffer, decoded: DecodeResult): Promise<IngestResult[] | null> => {
    const giveUpAt = Date.now() + o.maxOverloadWaitMs;
    try {
      for (;;) {
        try {
          return await o.ingest.ingest(PROTOCOL, raw, decoded, ctx);
        } catch (e) {
          if (!(e instanceof IngestOverloadedError)) throw e;
          if (closed) return null;
          if (Date.now() >= giveUpAt) {
            close('ingest overloaded for too long; not acknowledged', 'warn');
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
  };

  const handle = async (f: Jt600Frame): Promise<void> => {
    if (f.kind === 'garbage') {
      await ingestDurably(f.bytes, { ok: false, detail: f.detail }).catch(() => null);
      return close(`garbage: ${f.detail}`, 'warn');
    }
    const { result, reply } = decodeJt600Frame(f.bytes);
    // A heartbeat carries nothing to store or quarantine.
    if (result.ok && result.observations.length === 0) return;
    const results = await ingestDurably(f.bytes, result);
    if (results === null || closed) return;
    if (!result.ok) return; // quarantined with its reason; the next frame is still in step
    if (results.some(refusedDevice)) return close('device not registered for jt600', 'warn');
    // Every observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    if (reply) socket.write(reply);
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (queue.length && !closed) {
        const f = queue.shift()!;
        queuedBytes -= f.bytes.length;
        await handle(f);
      }
    } catch (e) {
      close(`internal error: ${(e as Error).message}`, 'warn');
    } finally {
      busy = false;
    }
  };

  socket.setTimeout(o.idleTimeoutMs, () => close('idle'));
  socket.on('error', () => close('socket error'));
  socket.on('close', () => { closed = true; });
  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    for (const f of splitter.push(chunk)) {
      queue.push(f);
      queuedBytes += f.bytes.length;
    }
    if (splitter.buffered + queuedBytes > o.maxBufferBytes) return close(`more than ${o.maxBufferBytes} bytes buffered`, 'warn');
    void pump();
  });
}

/** Starts the listener; resolves null (logged) when the port is busy, so the platform still starts. */
export async function startJt600Listener(options: Jt600ListenerOptions): Promise<VendorListener | null> {
  const o = { maxBufferBytes: 256 * 1024, idleTimeoutMs: 10 * 60_000, maxOverloadWaitMs: 60_000, ...options };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, o);
  });
  const bound = await new Promise<number | null>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      o.log.warn({ port: o.port, code: e.code }, `JT600 listener not started: port ${o.port} is busy (SEALWATCH_PORT_JT600)`);
      resolve(null);
    });
    server.listen(o.port, o.host, () => resolve((server.address() as { port: number }).port));
  });
  if (bound === null) return null;
  o.log.info({ port: bound }, 'JT600 listener ready');
  return {
    port: bound,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

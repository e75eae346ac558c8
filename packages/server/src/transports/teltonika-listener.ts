/**
 * The Teltonika listener (Codec 8 / 8 Extended; TCP and UDP on port 5027 by default,
 * SEALWATCH_PORT_TELTONIKA). TCP: the device sends its IMEI and is answered 0x01 only when a
 * device with that IMEI or id is registered for protocol `teltonika`; then each AVL packet is
 * decoded, ingested, and answered with its record count once ingest resolved (durable). When
 * ingest is overloaded the socket is paused and the same packet retried; nothing is acknowledged
 * that is not durable. A packet that does not decode is quarantined (malformed_frame) and the
 * connection closed without an answer: the device keeps the data and sends it again.
 * UDP: each datagram is ingested and answered (same packet ids, record count) once durable.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import type { Logger } from 'pino';
import {
  TeltonikaFrameSplitter, decodeTeltonikaDatagram, decodeTeltonikaPacket, teltonikaAvlAck, teltonikaImeiReply, teltonikaUdpAck,
  type DecodeResult, type TeltonikaFrame,
} from '@sealwatch/protocols';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './osmand-listener';

export interface TeltonikaListenerOptions {
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  /** Whether a device with this IMEI (or id) is registered for protocol `teltonika`. */
  knows: (imei: string) => Promise<boolean>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Bytes a connection may hold undecoded or waiting for ingest before it is closed. */
  maxBufferBytes?: number;
  /** A connection silent this long is closed (devices reconnect when they have data). */
  idleTimeoutMs?: number;
  /** How long to pause reading after an overload before retrying; by default the error's retry-after. */
  overloadPauseMs?: number;
  /** Give up retrying one packet after this long: close without an answer, the device resends later. */
  maxOverloadWaitMs?: number;
  /** Also listen for datagrams on the same port number (default true). */
  udp?: boolean;
}

const PROTOCOL = 'teltonika';
/** Device no longer accepted: do not acknowledge, so it keeps its data; its next handshake is refused. */
const refusedDevice = (r: IngestResult) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';
const frameSize = (f: TeltonikaFrame) => ('bytes' in f ? f.bytes.length : 1);

function serveConnection(socket: Socket, o: Required<Omit<TeltonikaListenerOptions, 'udp' | 'overloadPauseMs'>> & { overloadPauseMs?: number }): void {
  const remote = socket.remoteAddress ?? null;
  const ctx = { transport: 'tcp:teltonika', remote };
  const splitter = new TeltonikaFrameSplitter();
  const queue: TeltonikaFrame[] = [];
  let queuedBytes = 0;
  let busy = false;
  let closed = false;
  let imei: string | null = null;

  const close = (why: string, level: 'info' | 'warn' = 'info') => {
    if (closed) return;
    closed = true;
    o.log[level]({ remote, imei, reason: why }, 'Teltonika connection closed');
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

  const handle = async (f: TeltonikaFrame): Promise<void> => {
    if (f.kind === 'ping') return;
    if (f.kind === 'garbage') {
      await ingestDurably(f.bytes, { ok: false, detail: f.detail }).catch(() => null);
      return close(`garbage: ${f.detail}`, 'warn');
    }
    if (f.kind === 'imei') {
      if (imei !== null) {
        await ingestDurably(f.bytes, { ok: false, detail: 'a second IMEI handshake on one connection' }).catch(() => null);
        return close('second handshake', 'warn');
      }
      const known = await o.knows(f.imei);
      if (closed) return;
      socket.write(teltonikaImeiReply(known));
      if (!known) {
        closed = true;
        o.log.info({ remote, imei: f.imei }, 'Teltonika handshake refused: no device registered for teltonika with this IMEI');
        socket.end();
        return;
      }
      imei = f.imei;
      return;
    }
    if (imei === null) {
      await ingestDurably(f.bytes, { ok: false, detail: 'AVL packet before the IMEI handshake' }).catch(() => null);
      return close('AVL packet before the handshake', 'warn');
    }
    const decoded = decodeTeltonikaPacket(f.bytes, imei);
    const results = await ingestDurably(f.bytes, decoded);
    if (results === null || closed) return;
    if (!decoded.ok) return close(`malformed packet quarantined: ${decoded.detail}`, 'warn');
    if (results.some(refusedDevice)) return close('device no longer registered for teltonika', 'warn');
    // Every record is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    socket.write(teltonikaAvlAck(decoded.observations.length));
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (queue.length && !closed) {
        const f = queue.shift()!;
        queuedBytes -= frameSize(f);
        await handle(f);
      }
    } catch (e) {
      close(`internal error: ${(e as Error).message}`, 'warn');
    } finally {
      busy = false;
    }
  };

  socket.setTimeout(o.idleTimeoutMs, () => {
    close('idle');
    socket.destroy(); // also after a refused handshake whose device never closed its side
  });
  socket.on('error', () => close('socket error'));
  socket.on('close', () => { closed = true; });
  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    for (const f of splitter.push(chunk)) {
      queue.push(f);
      queuedBytes += frameSize(f);
    }
    if (splitter.buffered + queuedBytes > o.maxBufferBytes) return close(`more than ${o.maxBufferBytes} bytes buffered`, 'warn');
    void pump();
  });
}

async function serveDatagram(udp: UdpSocket, msg: Buffer, rinfo: RemoteInfo, o: TeltonikaListenerOptions): Promise<void> {
  const ctx = { transport: 'udp:teltonika', remote: rinfo.address };
  const d = decodeTeltonikaDatagram(msg);
  try {
    const results = await o.ingest.ingest(PROTOCOL, msg, d.ok ? d.result : { ok: false, detail: d.detail }, ctx);
    if (!d.ok || !d.result.ok || results.some(refusedDevice)) return;
    udp.send(teltonikaUdpAck(d.packetId, d.avlPacketId, d.result.observations.length), rinfo.port, rinfo.address);
  } catch (e) {
    // Overloaded: no answer, the device sends the datagram again.
    if (!(e instanceof IngestOverloadedError)) o.log.warn({ remote: rinfo.address, err: (e as Error).message }, 'Teltonika datagram failed');
  }
}

/** Starts the listener; resolves null (logged) when the TCP port is busy, so the platform still starts. */
export async function startTeltonikaListener(options: TeltonikaListenerOptions): Promise<VendorListener | null> {
  const o = {
    maxBufferBytes: 1024 * 1024, idleTimeoutMs: 10 * 60_000, maxOverloadWaitMs: 60_000,
    ...options,
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, o);
  });
  const bound = await new Promise<number | null>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      o.log.warn({ port: o.port, code: e.code }, `Teltonika listener not started: port ${o.port} is busy (SEALWATCH_PORT_TELTONIKA)`);
      resolve(null);
    });
    server.listen(o.port, o.host, () => resolve((server.address() as { port: number }).port));
  });
  if (bound === null) return null;

  let udp: UdpSocket | null = null;
  if (o.udp !== false) {
    const s = createSocket(o.host.includes(':') ? 'udp6' : 'udp4');
    udp = await new Promise<UdpSocket | null>((resolve) => {
      s.once('error', (e: NodeJS.ErrnoException) => {
        o.log.warn({ port: bound, code: e.code }, `Teltonika UDP not started: port ${bound} is busy`);
        s.close();
        resolve(null);
      });
      s.bind(bound, o.host, () => resolve(s));
    });
    udp?.on('message', (msg, rinfo) => void serveDatagram(udp!, msg, rinfo, o));
  }
  o.log.info({ port: bound, udp: udp !== null }, 'Teltonika listener ready');
  return {
    port: bound,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      if (udp) await new Promise<void>((r) => udp!.close(() => r()));
    },
  };
}

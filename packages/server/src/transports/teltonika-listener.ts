/**
 * The Teltonika listener (Codec 8 / 8 Extended; TCP and UDP on port 5027 by default,
 * SEALWATCH_PORT_TELTONIKA). TCP: the device sends its IMEI and is answered 0x01 only when a
 * device with that IMEI or id is registered for protocol `teltonika` (otherwise the handshake is
 * quarantined, the IMEI listed as pending if so configured, and answered 0x00); then each AVL packet is
 * decoded, ingested, and answered with its record count once ingest resolved (durable). When
 * ingest is overloaded the socket is paused and the same packet retried; nothing is acknowledged
 * that is not durable. A packet that does not decode is quarantined (malformed_frame) and the
 * connection closed without an answer: the device keeps the data and sends it again.
 * UDP: each datagram is ingested and answered (same packet ids, record count) once durable.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import type { Logger } from 'pino';
import {
  emptyObservation, TeltonikaFrameSplitter, decodeTeltonikaDatagram, decodeTeltonikaPacket, teltonikaAvlAck, teltonikaImeiReply, teltonikaUdpAck,
  type TeltonikaFrame,
} from '@sealwatch/protocols';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './osmand-listener';
import { startTcpListener, type TcpConnection, type TcpSession } from './tcp-listener';

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

function openTeltonikaSession(c: TcpConnection, knows: TeltonikaListenerOptions['knows'], log: TeltonikaListenerOptions['log']): TcpSession<TeltonikaFrame> {
  let imei: string | null = null;

  const handle = async (f: TeltonikaFrame): Promise<void> => {
    if (f.kind === 'ping') return;
    if (f.kind === 'garbage') return c.refuse(f.bytes, f.detail, `garbage: ${f.detail}`);
    if (f.kind === 'imei') {
      if (imei !== null) return c.refuse(f.bytes, 'a second IMEI handshake on one connection', 'second handshake');
      const known = await knows(f.imei);
      if (c.closed) return;
      if (!known) {
        // Quarantined under the reason ingest gives (unknown_device, listed as pending when
        // SEALWATCH_PENDING_DEVICES is on, or protocol_mismatch), with the handshake bytes.
        const results = await c.ingestDurably(f.bytes, { ok: true, observations: [emptyObservation(f.imei)] });
        if (results === null || c.closed) return;
      }
      c.socket.write(teltonikaImeiReply(known));
      if (!known) {
        log.info({ remote: c.remote, imei: f.imei }, 'Teltonika handshake refused: no device registered for teltonika with this IMEI');
        c.end();
        return;
      }
      imei = f.imei;
      return;
    }
    if (imei === null) return c.refuse(f.bytes, 'AVL packet before the IMEI handshake', 'AVL packet before the handshake');
    const decoded = decodeTeltonikaPacket(f.bytes, imei);
    const results = await c.ingestDurably(f.bytes, decoded);
    if (results === null || c.closed) return;
    if (!decoded.ok) return c.close(`malformed packet quarantined: ${decoded.detail}`, 'warn');
    if (results.some(refusedDevice)) return c.close('device no longer registered for teltonika', 'warn');
    // Every record is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    c.socket.write(teltonikaAvlAck(decoded.observations.length));
  };
  return { splitter: new TeltonikaFrameSplitter(), frameSize, handle, logFields: () => ({ imei }) };
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
  const tcp = await startTcpListener({
    ...o, protocol: PROTOCOL, label: 'Teltonika', portVariable: 'SEALWATCH_PORT_TELTONIKA',
    openSession: (c) => openTeltonikaSession(c, o.knows, o.log),
  });
  if (tcp === null) return null;
  const bound = tcp.port;

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
      await tcp.close();
      if (udp) await new Promise<void>((r) => udp!.close(() => r()));
    },
  };
}

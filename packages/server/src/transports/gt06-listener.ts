/**
 * The GT06 / Concox listener (TCP on port 5023 by default, SEALWATCH_PORT_GT06). The device logs in
 * with its IMEI (0x01) and is acknowledged only when a device with that IMEI or id is registered for
 * protocol `gt06`; otherwise the login is quarantined (unknown_device / protocol_mismatch) and the
 * connection closed without an answer, as GT06 has no negative acknowledgement. Then each packet is
 * decoded, ingested (trust `unverified`) and, for heartbeats and alarms, acknowledged with its serial
 * number only once ingest resolved (durable); locations expect no answer. When ingest is overloaded
 * the socket is paused and the same packet retried. A packet that does not decode (bad CRC,
 * unsupported protocol number) is quarantined (malformed_frame) and the connection kept; packets
 * before the login and bytes that are no packet close it.
 */
import type { Logger } from 'pino';
import { emptyObservation } from '@sealwatch/protocols';
import { Gt06FrameSplitter, type Gt06Frame } from '@sealwatch/protocols/gt06/gt06-frames';
import { GT06_MSG, decodeGt06Packet } from '@sealwatch/protocols/gt06/gt06';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './osmand-listener';
import { startTcpListener, type TcpConnection, type TcpSession } from './tcp-listener';

export interface Gt06ListenerOptions {
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  /** Whether a device with this IMEI (or id) is registered for protocol `gt06`. */
  knows: (imei: string) => Promise<boolean>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Bytes a connection may hold undecoded or waiting for ingest before it is closed. */
  maxBufferBytes?: number;
  /** A connection silent this long is closed (GT06 devices send a heartbeat every few minutes). */
  idleTimeoutMs?: number;
  /** How long to pause reading after an overload before retrying; by default the error's retry-after. */
  overloadPauseMs?: number;
  /** Give up retrying one packet after this long: close without an answer, the device resends later. */
  maxOverloadWaitMs?: number;
}

const PROTOCOL = 'gt06';
const refusedDevice = (r: IngestResult) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';

function openGt06Session(c: TcpConnection, o: Gt06ListenerOptions): TcpSession<Gt06Frame> {
  let imei: string | null = null;

  const login = async (bytes: Buffer, loginImei: string, ack: Buffer): Promise<void> => {
    if (imei !== null && imei !== loginImei) return c.refuse(bytes, `a second login (IMEI ${loginImei}) on the connection of ${imei}`, 'second login');
    if (imei === null && !(await o.knows(loginImei))) {
      if (c.closed) return;
      // Quarantined under the reason ingest gives, with the login packet; no answer, so the device keeps its data.
      const results = await c.ingestDurably(bytes, { ok: true, observations: [emptyObservation(loginImei)] });
      if (results === null || c.closed) return;
      return c.close('login refused: no device registered for gt06 with this IMEI');
    }
    if (c.closed) return;
    imei = loginImei;
    c.socket.write(ack);
  };

  const handle = async (f: Gt06Frame): Promise<void> => {
    if (f.kind === 'garbage') return c.refuse(f.bytes, f.detail, `garbage: ${f.detail}`);
    const d = decodeGt06Packet(f.bytes, imei);
    if (d.result.ok && d.imei) return login(f.bytes, d.imei, d.reply!);
    if (imei === null && d.protocol !== GT06_MSG.login) return c.refuse(f.bytes, 'packet before the login packet', 'packet before the login');
    const results = await c.ingestDurably(f.bytes, d.result);
    if (results === null || c.closed) return;
    if (!d.result.ok) return; // quarantined with its reason; the next packet is still in step
    if (results.some(refusedDevice)) return c.close('device no longer registered for gt06', 'warn');
    // Every observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    if (d.reply) c.socket.write(d.reply);
  };
  return { splitter: new Gt06FrameSplitter(), frameSize: (f) => f.bytes.length, handle, logFields: () => ({ imei }) };
}

/** Starts the listener; resolves null (logged) when the port is busy, so the platform still starts. */
export async function startGt06Listener(options: Gt06ListenerOptions): Promise<VendorListener | null> {
  const o = { maxBufferBytes: 256 * 1024, idleTimeoutMs: 10 * 60_000, maxOverloadWaitMs: 60_000, ...options };
  const listener = await startTcpListener({
    ...o, protocol: PROTOCOL, label: 'GT06', portVariable: 'SEALWATCH_PORT_GT06',
    openSession: (c) => openGt06Session(c, o),
  });
  if (listener === null) return null;
  o.log.info({ port: listener.port }, 'GT06 listener ready');
  return listener;
}

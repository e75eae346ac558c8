/**
 * The JT/T 808 listener (TCP, and UDP on the same port: jt808-udp.ts; 5015 by default, SEALWATCH_PORT_JT808). Every frame names
 * its terminal by phone number. Location reports (0x0200, 0x0704, Jointech 0x5501/0x5502) are
 * decoded, ingested (trust `unverified`, only for devices registered for protocol `jt808`), and
 * answered (0x8001, or 0x4401 for Jointech) only once ingest resolved, i.e. the observations are
 * durable; when ingest is overloaded the socket is paused and the same frame retried.
 * Registration, authentication, heartbeat and the other messages carry nothing to store: they are
 * answered once the terminal is known to be registered for jt808 (asked once per connection).
 * A terminal that is not is quarantined (unknown_device / protocol_mismatch), answered 0x8100
 * result 4 ("no such terminal") when it was registering, and disconnected. A frame that does not
 * decode is quarantined (malformed_frame) without an answer and the connection kept, since frames
 * stay delimited by their flags; bytes that are no frame close the connection.
 */
import type { Logger } from 'pino';
import { emptyObservation } from '@sealwatch/protocols';
import { Jt808FrameSplitter, type Jt808Frame } from '@sealwatch/protocols/jt808/jt808-frames';
import { decodeJt808Frame } from '@sealwatch/protocols/jt808/jt808';
import { jt808RegisterResponse } from '@sealwatch/protocols/jt808/jt808-message';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { CommandDelivery } from '../commands/command.service';
import { jt808CommandSession } from '../commands/listener-commands';
import type { VendorListener } from './osmand-listener';
import { startTcpListener, type TcpConnection, type TcpSession } from './tcp-listener';
import { startJt808Udp } from './jt808-udp';

export interface Jt808ListenerOptions {
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  /** Whether a device with this id (the terminal phone number digits) or IMEI is registered for protocol `jt808`. */
  knows: (identifier: string) => Promise<boolean>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Bytes a connection may hold undecoded or waiting for ingest before it is closed. */
  maxBufferBytes?: number;
  /** A connection silent this long is closed (terminals send a heartbeat every few minutes). */
  idleTimeoutMs?: number;
  /** How long to pause reading after an overload before retrying; by default the error's retry-after. */
  overloadPauseMs?: number;
  /** Give up retrying one frame after this long: close without an answer, the terminal resends later. */
  maxOverloadWaitMs?: number;
  /** The command queue (issue 4): answers are recorded and due commands sent after each served frame; absent: no commands. */
  commands?: CommandDelivery;
  /** Also serve datagrams on the same port number (jt808-udp.ts; default true, but never beside TLS). */
  udp?: boolean;
  /** PEM certificate and key: TCP speaks TLS only (SEALWATCH_TLS_LISTENERS), and no plain UDP is opened. */
  tls?: { cert: Buffer; key: Buffer };
}

const PROTOCOL = 'jt808';
const refusedDevice = (r: IngestResult) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';

function openJt808Session(c: TcpConnection, o: Jt808ListenerOptions): TcpSession<Jt808Frame> {
  /** The platform's own message serial number, one per reply on this connection. */
  let serial = 0;
  const known = new Set<string>();
  let terminal: string | null = null;
  const commands = o.commands && jt808CommandSession(o.commands, c, () => {
    const s = serial;
    serial = (serial + 1) & 0xffff;
    return s;
  });

  const handle = async (f: Jt808Frame): Promise<void> => {
    if (f.kind === 'garbage') return c.refuse(f.bytes, f.detail, `garbage: ${f.detail}`);
    const replySerial = serial;
    serial = (serial + 1) & 0xffff;
    const d = decodeJt808Frame(f.bytes, replySerial);
    if (!d.result.ok) {
      await c.ingestDurably(f.bytes, d.result); // quarantined with its reason; the next frame is still in step
      return;
    }
    const id = d.identifier!;
    terminal = id;
    if (d.result.observations.length === 0) {
      if (!known.has(id)) {
        const registered = await o.knows(id);
        if (c.closed) return;
        if (!registered) {
          // Quarantined under the reason ingest gives (unknown_device or protocol_mismatch), with the frame.
          const results = await c.ingestDurably(f.bytes, { ok: true, observations: [emptyObservation(id)] });
          if (results === null || c.closed) return;
          if (d.kind === 'register') c.socket.write(jt808RegisterResponse(d.header!, replySerial, 4, ''));
          o.log.info({ remote: c.remote, terminal: id }, 'JT/T 808 terminal refused: no device registered for jt808 with this id');
          return c.end();
        }
        known.add(id);
      }
      if (d.reply) c.socket.write(d.reply);
      await commands?.afterFrame(f.bytes, d.header!);
      return;
    }
    const results = await c.ingestDurably(f.bytes, d.result);
    if (results === null || c.closed) return;
    if (results.some(refusedDevice)) return c.close('terminal not registered for jt808', 'warn');
    known.add(id);
    // Every observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    if (d.reply) c.socket.write(d.reply);
    await commands?.afterFrame(f.bytes, d.header!);
  };
  return { splitter: new Jt808FrameSplitter(), frameSize: (f) => f.bytes.length, handle, logFields: () => ({ terminal }) };
}

/** Starts the listener; resolves null (logged) when the port is busy, so the platform still starts. */
export async function startJt808Listener(options: Jt808ListenerOptions): Promise<VendorListener | null> {
  const o = { maxBufferBytes: 256 * 1024, idleTimeoutMs: 10 * 60_000, maxOverloadWaitMs: 60_000, ...options };
  const listener = await startTcpListener({
    ...o, protocol: PROTOCOL, label: 'JT/T 808', portVariable: 'SEALWATCH_PORT_JT808',
    openSession: (c) => openJt808Session(c, o),
  });
  if (listener === null) return null;
  const udp = o.udp === false || o.tls ? null : await startJt808Udp({ ...o, port: listener.port });
  o.log.info({ port: listener.port, udp: udp !== null }, 'JT/T 808 listener ready');
  return {
    port: listener.port,
    async close() {
      await listener.close();
      await udp?.close();
    },
  };
}

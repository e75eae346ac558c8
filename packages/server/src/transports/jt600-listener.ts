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
import type { Logger } from 'pino';
import { Jt600FrameSplitter, decodeJt600Frame, type Jt600Frame } from '@sealwatch/protocols';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { CommandDelivery } from '../commands/command.service';
import { serveJt600Commands } from '../commands/listener-commands';
import type { VendorListener } from './osmand-listener';
import { startTcpListener, type TcpConnection, type TcpSession } from './tcp-listener';

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
  /** The command queue (issue 4): answers are recorded and due commands sent after each served frame; absent: no commands. */
  commands?: CommandDelivery;
}

const refusedDevice = (r: IngestResult) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';

function openJt600Session(c: TcpConnection, commands?: CommandDelivery): TcpSession<Jt600Frame> {
  const handle = async (f: Jt600Frame): Promise<void> => {
    if (f.kind === 'garbage') return c.refuse(f.bytes, f.detail, `garbage: ${f.detail}`);
    const { result, reply } = decodeJt600Frame(f.bytes);
    // A heartbeat carries nothing to store or quarantine.
    if (result.ok && result.observations.length === 0) return;
    const results = await c.ingestDurably(f.bytes, result);
    if (results === null || c.closed) return;
    if (!result.ok) return; // quarantined with its reason; the next frame is still in step
    if (results.some(refusedDevice)) return c.close('device not registered for jt600', 'warn');
    // Every observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    if (reply) c.socket.write(reply);
    if (commands) await serveJt600Commands(commands, c, results, result.observations);
  };
  return { splitter: new Jt600FrameSplitter(), frameSize: (f) => f.bytes.length, handle };
}

/** Starts the listener; resolves null (logged) when the port is busy, so the platform still starts. */
export async function startJt600Listener(options: Jt600ListenerOptions): Promise<VendorListener | null> {
  const o = { maxBufferBytes: 256 * 1024, idleTimeoutMs: 10 * 60_000, maxOverloadWaitMs: 60_000, ...options };
  const listener = await startTcpListener({ ...o, protocol: 'jt600', label: 'JT600', portVariable: 'SEALWATCH_PORT_JT600', openSession: (c) => openJt600Session(c, o.commands) });
  if (listener === null) return null;
  o.log.info({ port: listener.port }, 'JT600 listener ready');
  return listener;
}

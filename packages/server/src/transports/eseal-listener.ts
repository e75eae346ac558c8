/**
 * The eSeal listener (text e-seals, `##S,eSeal,…,E##` lines; TCP on port 5169 by default,
 * SEALWATCH_PORT_ESEAL). No handshake: every line names its device. Each line is decoded, ingested
 * (trust `unverified`, only for devices registered for protocol `eseal`), and the `<type> ACK` the
 * device waits for is written only once ingest resolved, i.e. the observation is durable; a device
 * that gets no ACK resends. When ingest is overloaded the socket is paused and the same line retried.
 * A line that does not decode is quarantined (malformed_frame) and the connection kept, since lines
 * stay delimited; bytes that are no eSeal line, or a device not registered for eseal, close the
 * connection without an answer, so the device keeps its data.
 */
import type { Logger } from 'pino';
import { EsealFrameSplitter, type EsealFrame } from '@sealwatch/protocols/eseal/eseal-frames';
import { decodeEsealFrame } from '@sealwatch/protocols/eseal/eseal';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { CommandDelivery } from '../commands/command.service';
import { serveEsealCommands } from '../commands/listener-commands';
import type { VendorListener } from './osmand-listener';
import { startTcpListener, type TcpConnection, type TcpSession } from './tcp-listener';

export interface EsealListenerOptions {
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Sent in the `Startup ACK` (Traccar's `eseal.config`, e.g. `180,30,30,16,1`); none by default. */
  startupConfig?: string;
  /** Bytes a connection may hold undecoded or waiting for ingest before it is closed. */
  maxBufferBytes?: number;
  /** A connection silent this long is closed (devices reconnect when they have data). */
  idleTimeoutMs?: number;
  /** How long to pause reading after an overload before retrying; by default the error's retry-after. */
  overloadPauseMs?: number;
  /** Give up retrying one line after this long: close without an answer, the device resends later. */
  maxOverloadWaitMs?: number;
  /** The command queue (issue 4): answers are recorded and due commands sent after each served frame; absent: no commands. */
  commands?: CommandDelivery;
}

const refusedDevice = (r: IngestResult) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';

function openEsealSession(c: TcpConnection, startupConfig: string | undefined, commands?: CommandDelivery): TcpSession<EsealFrame> {
  let deviceId: string | null = null;
  const handle = async (f: EsealFrame): Promise<void> => {
    if (f.kind === 'garbage') return c.refuse(f.bytes, f.detail, `garbage: ${f.detail}`);
    const { result, reply } = decodeEsealFrame(f.bytes, { startupConfig });
    // The quarantine keeps the reason code in front of the human detail.
    const decoded = result.ok ? result : { ok: false as const, detail: `${result.reason}: ${result.detail}` };
    const results = await c.ingestDurably(f.bytes, decoded);
    if (results === null || c.closed) return;
    if (!result.ok) return; // quarantined with its reason; the next line is still in step
    if (results.some(refusedDevice)) return c.close('device not registered for eseal', 'warn');
    deviceId = result.observations[0]?.identifier ?? deviceId;
    // Every observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    if (reply) c.socket.write(reply);
    if (commands) await serveEsealCommands(commands, c, results, result.observations);
  };
  return { splitter: new EsealFrameSplitter(), frameSize: (f) => f.bytes.length, handle, logFields: () => ({ device: deviceId }) };
}

/** Starts the listener; resolves null (logged) when the port is busy, so the platform still starts. */
export async function startEsealListener(options: EsealListenerOptions): Promise<VendorListener | null> {
  const o = { maxBufferBytes: 64 * 1024, idleTimeoutMs: 10 * 60_000, maxOverloadWaitMs: 60_000, ...options };
  const listener = await startTcpListener({
    ...o, protocol: 'eseal', label: 'eSeal', portVariable: 'SEALWATCH_PORT_ESEAL',
    openSession: (c) => openEsealSession(c, o.startupConfig, o.commands),
  });
  if (listener === null) return null;
  o.log.info({ port: listener.port }, 'eSeal listener ready');
  return listener;
}

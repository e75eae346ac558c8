/**
 * The TeraTrack listener (JSON e-locks with sub-locks; TCP on port 5239 by default,
 * SEALWATCH_PORT_TERATRACK). No handshake: every JSON object names its device (IMEI, else
 * MDeviceID). Each object is decoded, ingested (trust `unverified`, only for devices registered for
 * protocol `teratrack`), and `{01}`, when the device asked for it (`MessageAck` 1), is written only
 * once ingest resolved, i.e. the observation is durable. When ingest is overloaded the socket is
 * paused and the same object retried. An object that does not decode is quarantined
 * (malformed_frame) and the connection kept, since objects stay delimited; bytes outside an object,
 * or a device not registered for teratrack, close the connection without an answer.
 */
import type { Logger } from 'pino';
import { TeraTrackFrameSplitter, type TeraTrackFrame } from '@sealwatch/protocols/teratrack/teratrack-frames';
import { decodeTeraTrackFrame } from '@sealwatch/protocols/teratrack/teratrack';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './osmand-listener';
import { startTcpListener, type TcpConnection, type TcpSession } from './tcp-listener';

export interface TeraTrackListenerOptions {
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
  /** Give up retrying one object after this long: close without an answer, the device resends later. */
  maxOverloadWaitMs?: number;
}

const refusedDevice = (r: IngestResult) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';

function openTeraTrackSession(c: TcpConnection): TcpSession<TeraTrackFrame> {
  let deviceId: string | null = null;
  const handle = async (f: TeraTrackFrame): Promise<void> => {
    if (f.kind === 'garbage') return c.refuse(f.bytes, f.detail, `garbage: ${f.detail}`);
    const { result, reply } = decodeTeraTrackFrame(f.bytes);
    // The quarantine keeps the reason code in front of the human detail.
    const decoded = result.ok ? result : { ok: false as const, detail: `${result.reason}: ${result.detail}` };
    const results = await c.ingestDurably(f.bytes, decoded);
    if (results === null || c.closed) return;
    if (!result.ok) return; // quarantined with its reason; the next object is still in step
    if (results.some(refusedDevice)) return c.close('device not registered for teratrack', 'warn');
    deviceId = result.observations[0]?.identifier ?? deviceId;
    // The observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    if (reply) c.socket.write(reply);
  };
  return { splitter: new TeraTrackFrameSplitter(), frameSize: (f) => f.bytes.length, handle, logFields: () => ({ device: deviceId }) };
}

/** Starts the listener; resolves null (logged) when the port is busy, so the platform still starts. */
export async function startTeraTrackListener(options: TeraTrackListenerOptions): Promise<VendorListener | null> {
  const o = { maxBufferBytes: 256 * 1024, idleTimeoutMs: 10 * 60_000, maxOverloadWaitMs: 60_000, ...options };
  const listener = await startTcpListener({ ...o, protocol: 'teratrack', label: 'TeraTrack', portVariable: 'SEALWATCH_PORT_TERATRACK', openSession: openTeraTrackSession });
  if (listener === null) return null;
  o.log.info({ port: listener.port }, 'TeraTrack listener ready');
  return listener;
}

/**
 * JT/T 808 over UDP, on the TCP listener's port: the standard lets a terminal use either (JT/T
 * 808-2013 §4: "TCP or UDP"), and some NB-IoT/LTE-M terminals send datagrams to save data.
 * Each datagram holds one or more `0x7e` frames, served as on TCP: location reports ingested and
 * answered (0x8001, Jointech 0x4401) once durable; registration, authentication and heartbeats
 * answered once the terminal is known to be registered for jt808; an unknown terminal quarantined
 * (and listed as pending when so configured), a registration answered 0x8100 result 4.
 * Without a connection there is no session: no command delivery, no reading paused on overload
 * (the datagram is left unanswered and the terminal sends it again), and the reply serial is
 * counted per remote address and port.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import type { Logger } from 'pino';
import { emptyObservation } from '@sealwatch/protocols';
import { Jt808FrameSplitter } from '@sealwatch/protocols/jt808/jt808-frames';
import { decodeJt808Frame } from '@sealwatch/protocols/jt808/jt808';
import { jt808RegisterResponse } from '@sealwatch/protocols/jt808/jt808-message';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';

const PROTOCOL = 'jt808';
const refusedDevice = (r: IngestResult) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';
/** Remotes whose reply serial is remembered; the oldest is forgotten first. */
const MAX_REMOTES = 10_000;

export interface Jt808UdpOptions {
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  knows: (identifier: string) => Promise<boolean>;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** Binds the UDP socket; resolves null (logged) when the port is busy. */
export async function startJt808Udp(o: Jt808UdpOptions): Promise<{ close(): Promise<void> } | null> {
  const socket = createSocket(o.host.includes(':') ? 'udp6' : 'udp4');
  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', (e: NodeJS.ErrnoException) => {
      o.log.warn({ port: o.port, code: e.code }, `JT/T 808 UDP not started: port ${o.port} is busy`);
      socket.close();
      resolve(false);
    });
    socket.bind(o.port, o.host, () => resolve(true));
  });
  if (!bound) return null;
  const serials = new Map<string, number>();
  const nextSerial = (remote: string) => {
    const s = serials.get(remote) ?? 0;
    serials.delete(remote); // re-inserted last: the map's order is least recently used first
    serials.set(remote, (s + 1) & 0xffff);
    if (serials.size > MAX_REMOTES) serials.delete(serials.keys().next().value!);
    return s;
  };
  socket.on('message', (msg, rinfo) => {
    serveDatagram(socket, msg, rinfo, o, nextSerial).catch((e: Error) => {
      // Overloaded: no answer, the terminal sends the datagram again.
      if (!(e instanceof IngestOverloadedError)) o.log.warn({ remote: rinfo.address, err: e.message }, 'JT/T 808 datagram failed');
    });
  });
  return { close: () => new Promise<void>((r) => socket.close(() => r())) };
}

async function serveDatagram(socket: UdpSocket, msg: Buffer, rinfo: RemoteInfo, o: Jt808UdpOptions, nextSerial: (remote: string) => number): Promise<void> {
  const ctx = { transport: 'udp:jt808', remote: rinfo.address };
  const send = (reply: Buffer) => socket.send(reply, rinfo.port, rinfo.address);
  const splitter = new Jt808FrameSplitter();
  const frames = splitter.push(msg);
  if (splitter.buffered > 0) frames.push({ kind: 'garbage', detail: 'datagram ends inside a frame', bytes: msg });
  for (const f of frames) {
    if (f.kind === 'garbage') {
      await o.ingest.ingest(PROTOCOL, f.bytes, { ok: false, detail: f.detail }, ctx);
      return;
    }
    const replySerial = nextSerial(`${rinfo.address}:${rinfo.port}`);
    const d = decodeJt808Frame(f.bytes, replySerial);
    if (!d.result.ok) {
      await o.ingest.ingest(PROTOCOL, f.bytes, d.result, ctx); // quarantined with its reason
      continue;
    }
    const id = d.identifier!;
    if (d.result.observations.length === 0) {
      if (!(await o.knows(id))) {
        // Quarantined under the reason ingest gives (unknown_device, pending, or protocol_mismatch).
        await o.ingest.ingest(PROTOCOL, f.bytes, { ok: true, observations: [emptyObservation(id)] }, ctx);
        if (d.kind === 'register') send(jt808RegisterResponse(d.header!, replySerial, 4, ''));
        return;
      }
      if (d.reply) send(d.reply);
      continue;
    }
    const results = await o.ingest.ingest(PROTOCOL, f.bytes, d.result, ctx);
    if (results.some(refusedDevice)) return;
    // Every observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    if (d.reply) send(d.reply);
  }
}

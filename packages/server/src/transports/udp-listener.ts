/**
 * A vendor protocol's datagrams, on the port number of its TCP listener. Each datagram's steps
 * (DatagramSession) are served in order as on a stream: observations ingested and answered once
 * durable, a device's identification answered once it is known to be registered for the protocol;
 * an unknown device quarantined (and listed as pending when so configured) and answered its refusal,
 * bytes that cannot be served quarantined, each ending the datagram. Without a connection there is
 * no session: no commands, and no reading paused on overload (the datagram is left unanswered and
 * the device sends it again).
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import type { Logger } from 'pino';
import { emptyObservation, type DatagramSession, type ProtocolDescriptor } from '@sealwatch/protocols';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { VendorListener } from './vendor-listener';
import { refusedDevice } from './vendor-listener';

export interface UdpServing {
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  knows: (identifier: string) => Promise<boolean>;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** Binds the UDP socket of protocol `p`; resolves null (logged) when the port is busy. */
export async function startUdpListener(p: ProtocolDescriptor, o: UdpServing): Promise<VendorListener | null> {
  const socket = createSocket(o.host.includes(':') ? 'udp6' : 'udp4');
  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', (e: NodeJS.ErrnoException) => {
      o.log.warn({ port: o.port, code: e.code }, `${p.label} UDP not started: port ${o.port} is busy`);
      socket.close();
      resolve(false);
    });
    socket.bind(o.port, o.host, () => resolve(true));
  });
  if (!bound) return null;
  const session = p.openDatagrams!();
  socket.on('message', (msg, rinfo) => {
    serveDatagram(p, session, socket, msg, rinfo, o).catch((e: Error) => {
      // Overloaded: no answer, the device sends the datagram again.
      if (!(e instanceof IngestOverloadedError)) o.log.warn({ remote: rinfo.address, err: e.message }, `${p.label} datagram failed`);
    });
  });
  return { port: o.port, close: () => new Promise<void>((r) => socket.close(() => r())) };
}

async function serveDatagram(
  p: ProtocolDescriptor,
  session: DatagramSession,
  socket: UdpSocket,
  msg: Buffer,
  rinfo: RemoteInfo,
  o: UdpServing,
): Promise<void> {
  const ctx = { transport: `udp:${p.name}`, remote: rinfo.address };
  const send = (reply: Buffer) => socket.send(reply, rinfo.port, rinfo.address);
  for (const { bytes, step: s } of session.steps(msg, `${rinfo.address}:${rinfo.port}`)) {
    switch (s.do) {
      case 'skip':
        continue;
      case 'refuse':
        await o.ingest.ingest(p.name, bytes, { ok: false, detail: s.detail }, ctx);
        return;
      case 'identify':
        if (!(await o.knows(s.identifier))) {
          // Quarantined under the reason ingest gives (unknown_device, pending, or protocol_mismatch).
          await o.ingest.ingest(p.name, bytes, { ok: true, observations: [emptyObservation(s.identifier)] }, ctx);
          if (s.refusal) send(s.refusal);
          return;
        }
        if (s.reply) send(s.reply);
        continue;
      case 'ingest': {
        const results = await o.ingest.ingest(p.name, bytes, s.decoded, ctx);
        if (!s.decoded.ok) continue; // quarantined with its reason
        if (results.some(refusedDevice)) return;
        // Every observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
        if (s.reply) send(s.reply);
        continue;
      }
    }
  }
}

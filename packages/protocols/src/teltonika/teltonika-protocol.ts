/**
 * Teltonika Codec 7 / 8 / 8 Extended / 16 (and 12 / 13 answers, stored, not acknowledged), TCP and UDP on one port. TCP: the device sends its IMEI and is
 * answered 0x01 when it is registered for `teltonika`, else 0x00 and the stream ended; then each AVL
 * packet is answered with its record count once durable; a packet of data length 0 is skipped. A packet that does not decode is
 * quarantined and the stream closed without an answer (the device keeps the data and resends).
 * UDP: each datagram is answered with its packet ids and record count once durable.
 */
import { refuseGarbage, type DatagramSession, type FrameStep, type ProtocolDescriptor, type StreamSession } from '../descriptor';
import { TeltonikaFrameSplitter, teltonikaAvlAck, teltonikaImeiReply, type TeltonikaFrame } from './teltonika-frames';
import { TELTONIKA_CODEC_12, TELTONIKA_CODEC_13, decodeTeltonikaPacket } from './teltonika';

/** A TCP packet of AVL data (not a Codec 12/13 message): byte 8 is the codec id. */
const isAvlPacket = (packet: Buffer) => packet[8] !== TELTONIKA_CODEC_12 && packet[8] !== TELTONIKA_CODEC_13;
import { decodeTeltonikaDatagram, teltonikaUdpAck } from './teltonika-udp';

function openStream(): StreamSession<TeltonikaFrame> {
  let imei: string | null = null;
  return {
    splitter: new TeltonikaFrameSplitter(),
    step(f): FrameStep {
      if (f.kind === 'ping' || f.kind === 'empty') return { do: 'skip' };
      if (f.kind === 'garbage') return refuseGarbage(f);
      if (f.kind === 'imei') {
        if (imei !== null) return { do: 'refuse', detail: 'a second IMEI handshake on one connection', why: 'second handshake' };
        return { do: 'identify', identifier: f.imei, reply: teltonikaImeiReply(true), refusal: teltonikaImeiReply(false) };
      }
      if (imei === null) return { do: 'refuse', detail: 'AVL packet before the IMEI handshake', why: 'AVL packet before the handshake' };
      const decoded = decodeTeltonikaPacket(f.bytes, imei);
      // AVL data is acknowledged with its record count; a Codec 12/13 answer waits for nothing.
      const acked = decoded.ok && isAvlPacket(f.bytes);
      return { do: 'ingest', decoded, reply: acked ? teltonikaAvlAck(decoded.observations.length) : null, onMalformed: 'close' };
    },
    identified(id) {
      imei = id;
    },
  };
}

function openDatagrams(): DatagramSession {
  return {
    *steps(datagram) {
      const d = decodeTeltonikaDatagram(datagram);
      if (!d.ok)
        return yield {
          bytes: datagram,
          step: { do: 'ingest', decoded: { ok: false, detail: d.detail }, reply: null, onMalformed: 'close' },
        };
      const reply = d.result.ok ? teltonikaUdpAck(d.packetId, d.avlPacketId, d.result.observations.length) : null;
      yield { bytes: datagram, step: { do: 'ingest', decoded: d.result, reply, onMalformed: 'close' } };
    },
  };
}

export const teltonikaProtocol: ProtocolDescriptor<'teltonika'> = {
  name: 'teltonika',
  label: 'Teltonika',
  defaultPort: 5027,
  transports: ['tcp', 'udp'],
  maxBufferBytes: 1024 * 1024,
  openStream,
  openDatagrams,
};

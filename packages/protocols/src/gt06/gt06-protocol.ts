/**
 * GT06 / Concox: `0x7878` / `0x7979` packets over TCP. The device logs in with its IMEI (0x01),
 * acknowledged only when it is registered for `gt06`; GT06 has no negative acknowledgement, so an
 * unknown login gets no answer. Then each packet is decoded with the login's IMEI; heartbeats and
 * alarms are acknowledged with their serial number once durable, locations expect nothing. A packet
 * that does not decode is quarantined and the stream kept, and so are bytes that are no packet (the
 * splitter resynchronises); packets before the login and a second login with another IMEI close it.
 */
import { quarantineSkipped, type ProtocolDescriptor, type StreamSession } from '../descriptor';
import { Gt06FrameSplitter, type Gt06Frame } from './gt06-frames';
import { GT06_MSG, decodeGt06Packet } from './gt06';

function openStream(): StreamSession<Gt06Frame> {
  let imei: string | null = null;
  return {
    splitter: new Gt06FrameSplitter(),
    step(f) {
      if (f.kind === 'skipped') return quarantineSkipped(f);
      const d = decodeGt06Packet(f.bytes, imei);
      if (d.result.ok && d.imei) {
        if (imei !== null && imei !== d.imei)
          return { do: 'refuse', detail: `a second login (IMEI ${d.imei}) on the connection of ${imei}`, why: 'second login' };
        return { do: 'identify', identifier: d.imei, reply: d.reply, refusal: null };
      }
      if (imei === null && d.protocol !== GT06_MSG.login)
        return { do: 'refuse', detail: 'packet before the login packet', why: 'packet before the login' };
      return { do: 'ingest', decoded: d.result, reply: d.reply, onMalformed: 'keep' };
    },
    identified(id) {
      imei = id;
    },
  };
}

export const gt06Protocol: ProtocolDescriptor<'gt06'> = {
  name: 'gt06',
  label: 'GT06',
  defaultPort: 5023,
  transports: ['tcp'],
  maxBufferBytes: 256 * 1024,
  openStream,
};

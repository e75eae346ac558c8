/**
 * JT/T 808 (2013 and 2019 headers): `0x7e` frames over TCP, and over UDP on the same port (the
 * standard allows either; NB-IoT/LTE-M terminals send datagrams to save data). Every frame names
 * its terminal by phone number. Location reports (0x0200, 0x0704, Jointech 0x5501/0x5502) are
 * answered (0x8001, or 0x4401 for Jointech) once durable. Registration, authentication, heartbeat
 * and the other messages store nothing: answered once the terminal is known to be registered for
 * jt808; an unknown terminal is answered 0x8100 result 4 ("no such terminal") when it was
 * registering, and the stream ended. A frame that does not decode is quarantined and the stream
 * kept (frames stay delimited by their flags); so is one that cannot be cut (bytes outside a frame are
 * skipped to the next flag, `(…)` text lines are quarantined). Each reply and command takes the next platform
 * serial number of the stream (per sender address over UDP). Carries commands (over TCP only).
 */
import { jt808CommandCodec } from './jt808-command-codec';
import type { DatagramSession, FrameStep, ProtocolDescriptor, StreamSession } from '../descriptor';
import { quarantineSkipped } from '../descriptor';
import { Jt808FrameSplitter, type Jt808Frame } from './jt808-frames';
import { decodeJt808Frame } from './jt808';
import { jt808RegisterResponse, type Jt808Header } from './jt808-message';

/** Senders whose reply serial is remembered over UDP; the least recently heard is forgotten first. */
const MAX_REMOTES = 10_000;

/**
 * A `(…)` text line on the JT/T 808 port (command answers and time requests of some terminals):
 * not decoded yet, so quarantined as evidence with the stream kept; nothing is answered.
 */
const textStep = (bytes: Buffer): FrameStep => ({
  do: 'ingest',
  decoded: {
    ok: false,
    detail: `text frame ${JSON.stringify(bytes.subarray(0, 40).toString('latin1'))} is not decoded on the JT/T 808 port`,
  },
  reply: null,
  onMalformed: 'keep',
});

/** The step for one frame as the splitter cut it, with the platform serial number its reply takes. */
function stepOf(f: Jt808Frame, replySerial: () => number): FrameStep & { header?: Jt808Header } {
  if (f.kind === 'skipped') return quarantineSkipped(f);
  if (f.kind === 'text') return textStep(f.bytes);
  return messageStep(f.bytes, replySerial());
}

/** The step for one whole 0x7e frame, with the platform serial number its reply takes. */
function messageStep(bytes: Buffer, replySerial: number): FrameStep & { header?: Jt808Header } {
  const d = decodeJt808Frame(bytes, replySerial);
  if (!d.result.ok) return { do: 'ingest', decoded: d.result, reply: null, onMalformed: 'keep' };
  const header = d.header!;
  if (d.result.observations.length === 0) {
    const refusal = d.kind === 'register' ? jt808RegisterResponse(header, replySerial, 4, '') : null;
    return { do: 'identify', identifier: d.identifier!, reply: d.reply, refusal, header };
  }
  return { do: 'ingest', decoded: d.result, reply: d.reply, onMalformed: 'keep', header };
}

function openStream(): StreamSession<Jt808Frame> {
  /** The platform's own message serial number, one per reply or command on this stream. */
  let serial = 0;
  let header: Jt808Header | null = null;
  const nextSerial = () => {
    const s = serial;
    serial = (serial + 1) & 0xffff;
    return s;
  };
  return {
    splitter: new Jt808FrameSplitter(),
    step(f) {
      const s = stepOf(f, nextSerial);
      header = s.header ?? header;
      return s;
    },
    commandAddress(identifier) {
      return { identifier, jt808: { to: header!, serial: nextSerial() } };
    },
  };
}

function openDatagrams(): DatagramSession {
  const serials = new Map<string, number>();
  const nextSerial = (remote: string) => {
    const s = serials.get(remote) ?? 0;
    serials.delete(remote); // re-inserted last: the map's order is least recently used first
    serials.set(remote, (s + 1) & 0xffff);
    if (serials.size > MAX_REMOTES) serials.delete(serials.keys().next().value!);
    return s;
  };
  return {
    *steps(datagram, remote) {
      const splitter = new Jt808FrameSplitter();
      const frames = splitter.push(datagram);
      if (splitter.buffered > 0)
        frames.push({ kind: 'skipped', detail: 'datagram ends inside a frame', bytes: datagram.subarray(-splitter.buffered) });
      for (const f of frames) yield { bytes: f.bytes, step: stepOf(f, () => nextSerial(remote)) };
    },
  };
}

export const jt808Protocol: ProtocolDescriptor<'jt808'> = {
  name: 'jt808',
  label: 'JT/T 808',
  defaultPort: 5015,
  transports: ['tcp', 'udp'],
  maxBufferBytes: 256 * 1024,
  commands: jt808CommandCodec,
  openStream,
  openDatagrams,
};

/**
 * Jointech JT600 (JT600 trackers, JT701/JT709 e-locks, GL600): binary `$…` and text `(…)` frames
 * over TCP. No handshake: every frame names its device. The reply a frame waits for ((P35),
 * (P69,0,<index>)) goes once its observations are durable; a heartbeat stores nothing. A frame that
 * does not decode is quarantined and the stream kept (frames stay delimited). Carries commands.
 */
import { jt600CommandCodec } from './jt600-command-codec';
import { refuseGarbage, type ProtocolDescriptor, type StreamSession } from '../descriptor';
import { Jt600FrameSplitter, type Jt600Frame } from './jt600-frames';
import { decodeJt600Frame } from './jt600';

function openStream(): StreamSession<Jt600Frame> {
  return {
    splitter: new Jt600FrameSplitter(),
    step(f) {
      if (f.kind === 'garbage') return refuseGarbage(f);
      const { result, reply } = decodeJt600Frame(f.bytes);
      if (result.ok && result.observations.length === 0) return { do: 'skip' };
      return { do: 'ingest', decoded: result, reply, onMalformed: 'keep' };
    },
  };
}

export const jt600Protocol: ProtocolDescriptor<'jt600'> = {
  name: 'jt600',
  label: 'JT600',
  defaultPort: 5014,
  transports: ['tcp'],
  maxBufferBytes: 256 * 1024,
  commands: jt600CommandCodec,
  openStream,
};

/**
 * TeraTrack JSON e-locks with sub-locks: one JSON object per report over TCP. No handshake: every
 * object names its device (IMEI, else MDeviceID). `{01}`, when the device asked for it
 * (`MessageAck` 1), goes once the observation is durable. An object that does not decode is
 * quarantined with its reason code and the stream kept (objects stay delimited).
 */
import { refuseGarbage, withReason, type ProtocolDescriptor, type StreamSession } from '../descriptor';
import { TeraTrackFrameSplitter, type TeraTrackFrame } from './teratrack-frames';
import { decodeTeraTrackFrame } from './teratrack';

function openStream(): StreamSession<TeraTrackFrame> {
  return {
    splitter: new TeraTrackFrameSplitter(),
    step(f) {
      if (f.kind === 'garbage') return refuseGarbage(f);
      const { result, reply } = decodeTeraTrackFrame(f.bytes);
      return { do: 'ingest', decoded: withReason(result), reply, onMalformed: 'keep' };
    },
  };
}

export const teraTrackProtocol: ProtocolDescriptor<'teratrack'> = {
  name: 'teratrack',
  label: 'TeraTrack',
  defaultPort: 5239,
  transports: ['tcp'],
  maxBufferBytes: 256 * 1024,
  openStream,
};

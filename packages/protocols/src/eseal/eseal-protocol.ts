/**
 * eSeal text e-seals: `##S,eSeal,…,E##` lines over TCP. No handshake: every line names its device.
 * The `<type> ACK` a line waits for goes once its observation is durable; a device that gets no ACK
 * resends. A line that does not decode is quarantined with its reason code and the stream kept
 * (lines stay delimited). Setting `startupConfig` is sent in the `Startup ACK` (Traccar's
 * `eseal.config`, e.g. `180,30,30,16,1`). Carries commands.
 */
import { esealCommandCodec } from './eseal-command-codec';
import { refuseGarbage, withReason, type ProtocolDescriptor, type StreamSession } from '../descriptor';
import { EsealFrameSplitter, type EsealFrame } from './eseal-frames';
import { decodeEsealFrame } from './eseal';

function openStream(settings: Readonly<Record<string, string>> = {}): StreamSession<EsealFrame> {
  return {
    splitter: new EsealFrameSplitter(),
    step(f) {
      if (f.kind === 'garbage') return refuseGarbage(f);
      const { result, reply } = decodeEsealFrame(f.bytes, { startupConfig: settings.startupConfig });
      return { do: 'ingest', decoded: withReason(result), reply, onMalformed: 'keep' };
    },
  };
}

export const esealProtocol: ProtocolDescriptor<'eseal'> = {
  name: 'eseal',
  label: 'eSeal',
  defaultPort: 5169,
  transports: ['tcp'],
  maxBufferBytes: 64 * 1024,
  commands: esealCommandCodec,
  openStream,
};

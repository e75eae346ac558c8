/** The JT600 descriptor runs the protocol contract over binary and text golden frames. */
import { runProtocolContract } from '../testing/protocol-contract';
import { jt600GoldenBytes } from './golden-frames';
import { jt600Protocol } from './jt600-protocol';

const stream = (['heartbeat', 'jt701', 'p45Card', 'shortV1', 'gl600', 'p45NoCard', 'jt701Charging', 'u01', 'u06', 'w01'] as const).map(
  (n) => jt600GoldenBytes(n),
);

runProtocolContract(jt600Protocol, {
  stream,
  frames: stream.map((bytes) => (bytes[0] === 0x28 ? { kind: 'text', text: bytes.toString('latin1'), bytes } : { kind: 'binary', bytes })),
  steps: ['skip', 'ingest', 'ingest', 'ingest', 'ingest', 'ingest', 'ingest', 'ingest', 'ingest', 'ingest'],
  seed: 5014,
  maxChunk: 70,
  alphabet: Buffer.from('(),0123456789.NSEWAVTF$'),
});

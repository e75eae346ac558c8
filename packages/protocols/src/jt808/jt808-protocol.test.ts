/** The JT/T 808 descriptor runs the protocol contract over a registration and the golden location frames, and a datagram. */
import { runProtocolContract } from '../testing/protocol-contract';
import { jt808GoldenBytes } from './golden-frames';
import { encodeJt808Heartbeat, encodeJt808Register } from './jt808-encoder';
import { jt808Protocol } from './jt808-protocol';

const T = { phone: '440061018577' };
const stream = [
  encodeJt808Register(T, 1),
  encodeJt808Heartbeat(T, 2),
  ...(['padlocks', 'lockList', 'jointechUnlock', 'tamper', 'removal'] as const).map((n) => jt808GoldenBytes(n)),
];

runProtocolContract(jt808Protocol, {
  stream,
  frames: stream.map((bytes) => ({ kind: 'message', bytes })),
  steps: ['identify', 'identify', 'ingest', 'ingest', 'ingest', 'ingest', 'ingest'],
  datagrams: [
    { bytes: jt808GoldenBytes('tamper'), steps: ['ingest'] },
    { bytes: Buffer.concat([encodeJt808Heartbeat(T, 3), jt808GoldenBytes('padlocks')]), steps: ['identify', 'ingest'] },
  ],
  seed: 5015,
  maxChunk: 60,
  alphabet: Buffer.from([0x7e, 0x7d, 0x01, 0x02, 0x00, 0x02, 0x00]),
});

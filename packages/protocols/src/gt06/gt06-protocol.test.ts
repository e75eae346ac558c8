/** The GT06 descriptor runs the protocol contract over a login and the golden packets. */
import { runProtocolContract } from '../testing/protocol-contract';
import { encodeGt06Packet } from './gt06-frames';
import { gt06GoldenBytes } from './golden-frames';
import { gt06Protocol } from './gt06-protocol';

const long = encodeGt06Packet(0x12, gt06GoldenBytes('location').subarray(4, -6), 3, true);
const stream = [
  gt06GoldenBytes('login'),
  gt06GoldenBytes('location'),
  gt06GoldenBytes('sos'),
  long,
  gt06GoldenBytes('emptyLocation'),
  gt06GoldenBytes('tamper'),
];

runProtocolContract(gt06Protocol, {
  stream,
  frames: stream.map((bytes) => ({ kind: 'packet', bytes })),
  steps: ['identify', 'ingest', 'ingest', 'ingest', 'malformed', 'ingest'],
  seed: 5023,
  maxChunk: 50,
  alphabet: Buffer.from([0x78, 0x79, 0x0d, 0x0a, 0x00, 0x01, 0x12, 0x13, 0x16]),
});

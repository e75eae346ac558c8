/** The TCP packet splitter beyond the protocol contract (gt06-protocol.test.ts): garbage and oversized input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gt06FrameSplitter, encodeGt06Packet, type Gt06Frame } from './gt06-frames';
import { gt06GoldenBytes } from './golden-frames';

const long = encodeGt06Packet(0x12, gt06GoldenBytes('location').subarray(4, -6), 3, true);
const parts = [
  gt06GoldenBytes('login'),
  gt06GoldenBytes('location'),
  gt06GoldenBytes('sos'),
  long,
  gt06GoldenBytes('emptyLocation'),
  gt06GoldenBytes('tamper'),
];
const session = Buffer.concat(parts);

test('garbage, a missing 0x0d0a and an oversized length are reported once, and the splitter then stops', () => {
  const splitter = new Gt06FrameSplitter();
  const http = Buffer.from('GET / HTTP/1.1\r\n\r\n');
  const [p, g, ...rest] = splitter.push(Buffer.concat([parts[0], http]));
  assert.equal(p.kind, 'packet');
  assert.deepEqual(rest, []);
  assert.deepEqual(g, { kind: 'garbage', detail: 'packet starts with 0x47, not 0x7878 or 0x7979', bytes: http });
  assert.deepEqual(splitter.push(session), []);
  const noStop = Buffer.from(parts[1]);
  noStop[noStop.length - 1] = 0x00;
  assert.deepEqual(
    new Gt06FrameSplitter().push(noStop).map((f) => f.kind === 'garbage' && f.detail),
    ['packet of 36 bytes does not end with 0x0d0a'],
  );
  assert.deepEqual(
    new Gt06FrameSplitter(1000).push(Buffer.from('79790fff', 'hex')).map((f) => f.kind === 'garbage' && f.detail),
    ['packet of 4101 bytes exceeds the limit of 1000 bytes'],
  );
  assert.deepEqual(
    new Gt06FrameSplitter().push(Buffer.from('7879', 'hex')).map((f) => f.kind === 'garbage' && f.detail),
    ['packet starts with 0x7879, not 0x7878 or 0x7979'],
  );
});

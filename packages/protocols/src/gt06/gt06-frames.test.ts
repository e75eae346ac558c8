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

test('junk, a missing 0x0d0a and an oversized length are skipped once each, and the packets after them are served', () => {
  const splitter = new Gt06FrameSplitter();
  const http = Buffer.from('GET / HTTP/1.1\r\n\r\n');
  const [p, g, ...rest] = splitter.push(Buffer.concat([parts[0], http, session]));
  assert.equal(p.kind, 'packet');
  assert.deepEqual(g, { kind: 'skipped', detail: 'bytes from 0x47 skipped to the next 0x7878 or 0x7979', bytes: http });
  assert.deepEqual(
    rest,
    parts.map((bytes) => ({ kind: 'packet', bytes })),
  );
  const noStop = Buffer.from(parts[1]);
  noStop[noStop.length - 1] = 0x00;
  const afterNoStop = new Gt06FrameSplitter().push(Buffer.concat([noStop, parts[2]]));
  assert.deepEqual(
    afterNoStop.map((f) => (f.kind === 'skipped' ? f.detail : f.kind)),
    ['packet of 36 bytes does not end with 0x0d0a', 'packet'],
  );
  assert.deepEqual(afterNoStop[0].bytes, noStop);
  assert.deepEqual(
    new Gt06FrameSplitter(1000)
      .push(Buffer.concat([Buffer.from('79790fff0d0a', 'hex'), parts[1]]))
      .map((f) => (f.kind === 'skipped' ? f.detail : f.kind)),
    ['packet of 4101 bytes exceeds the limit of 1000 bytes', 'packet'],
  );
  assert.deepEqual(
    new Gt06FrameSplitter()
      .push(Buffer.concat([Buffer.from('7879', 'hex'), parts[1]]))
      .map((f) => (f.kind === 'skipped' ? f.detail : f.kind)),
    ['bytes from 0x7879 skipped to the next 0x7878 or 0x7979', 'packet'],
  );
});

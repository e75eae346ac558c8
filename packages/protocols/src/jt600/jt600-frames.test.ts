/** The TCP frame splitter beyond the protocol contract (jt600-protocol.test.ts): garbage and oversized input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JT600_MAX_TEXT_LENGTH, Jt600FrameSplitter, type Jt600Frame } from './jt600-frames';
import { jt600GoldenBytes } from './golden-frames';

const parts = [
  jt600GoldenBytes('heartbeat'),
  jt600GoldenBytes('jt701'),
  jt600GoldenBytes('p45Card'),
  jt600GoldenBytes('shortV1'),
  jt600GoldenBytes('gl600'),
  jt600GoldenBytes('p45NoCard'),
  jt600GoldenBytes('jt701Charging'),
];
const session = Buffer.concat(parts);

test('garbage is reported once with all its bytes, and the splitter then stops', () => {
  const splitter = new Jt600FrameSplitter();
  const http = Buffer.from('GET / HTTP/1.1\r\n\r\n');
  const [frame, ...rest] = splitter.push(Buffer.concat([jt600GoldenBytes('heartbeat'), http]));
  assert.equal(frame.kind, 'text');
  assert.equal(rest.length, 1);
  assert.deepEqual(rest[0], { kind: 'garbage', detail: 'frame starts with 0x47, neither "$" (binary) nor "(" (text)', bytes: http });
  assert.deepEqual(splitter.push(session), []);
  assert.equal(splitter.buffered, 0);
});

test('a text frame without ")" and a binary length past the limit are garbage without buffering the rest', () => {
  const open = new Jt600FrameSplitter();
  assert.deepEqual(open.push(Buffer.from('(' + '1'.repeat(JT600_MAX_TEXT_LENGTH - 1))), []);
  const [g] = open.push(Buffer.from('22'));
  assert.equal(g.kind, 'garbage');
  assert.match((g as { detail: string }).detail, /without a closing "\)"/);
  const header = Buffer.from('24804130097819140fff', 'hex'); // byte 8 is not 0: short format, length 0x140f at offset 7
  const small = new Jt600FrameSplitter(1000);
  assert.deepEqual(small.push(header.subarray(0, 9)), []);
  assert.deepEqual(
    small.push(header.subarray(9)).map((f) => f.kind === 'garbage' && f.detail),
    ['binary frame of 5145 bytes exceeds the limit of 1000 bytes'],
  );
});

/** The TCP packet splitter: whole, byte by byte, in random chunks; garbage and oversized input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gt06FrameSplitter, encodeGt06Packet, type Gt06Frame } from './gt06-frames';
import { gt06GoldenBytes } from './golden-frames';
import { feedByteByByte, feedChunks, seededChunkings } from '../test-chunking';

const long = encodeGt06Packet(0x12, gt06GoldenBytes('location').subarray(4, -6), 3, true);
const parts = [gt06GoldenBytes('login'), gt06GoldenBytes('location'), gt06GoldenBytes('sos'), long, gt06GoldenBytes('emptyLocation'), gt06GoldenBytes('tamper')];
const session = Buffer.concat(parts);
const expected: Gt06Frame[] = parts.map((bytes) => ({ kind: 'packet', bytes }));
const feed = (chunks: Buffer[]) => feedChunks<Gt06Frame, Gt06FrameSplitter>(new Gt06FrameSplitter(), chunks);

test('a whole session of 0x7878 and 0x7979 packets in one chunk gives each packet, in order', () => {
  const { frames, splitter } = feed([session]);
  assert.deepEqual(frames, expected);
  assert.equal(splitter.buffered, 0);
});

test('fed one byte at a time, each packet comes out as soon as its last byte arrives', () => {
  const { frames, ends } = feedByteByByte(new Gt06FrameSplitter(), session);
  assert.deepEqual(frames, expected);
  assert.deepEqual(ends, parts.map((_, i) => parts.slice(0, i + 1).reduce((n, p) => n + p.length, 0)));
});

test('fed in random chunks (300 seeded splits), the splitter always gives the same packets and keeps the remainder', () => {
  for (const [run, chunks] of seededChunkings(session, 5023, 300, 50).entries()) {
    assert.deepEqual(feed(chunks).frames, expected, `run ${run}`);
  }
  const { frames, splitter } = feed([session.subarray(0, parts[0].length + 7)]);
  assert.equal(frames.length, 1);
  assert.equal(splitter.buffered, 7);
});

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
  assert.deepEqual(new Gt06FrameSplitter().push(noStop).map((f) => f.kind === 'garbage' && f.detail), ['packet of 36 bytes does not end with 0x0d0a']);
  assert.deepEqual(new Gt06FrameSplitter(1000).push(Buffer.from('79790fff', 'hex')).map((f) => f.kind === 'garbage' && f.detail), ['packet of 4101 bytes exceeds the limit of 1000 bytes']);
  assert.deepEqual(new Gt06FrameSplitter().push(Buffer.from('7879', 'hex')).map((f) => f.kind === 'garbage' && f.detail), ['packet starts with 0x7879, not 0x7878 or 0x7979']);
});

/** The TCP frame splitter beyond the protocol contract (jt808-protocol.test.ts): shared flags, garbage and oversized input; escaping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Jt808FrameSplitter, jt808Checksum, jt808Escape, jt808Unescape, type Jt808Frame } from './jt808-frames';
import { jt808GoldenBytes } from './golden-frames';
import { feedChunks } from '../test-chunking';

const parts = (['padlocks', 'lockList', 'jointechUnlock', 'tamper', 'removal'] as const).map(jt808GoldenBytes);
const session = Buffer.concat(parts);
const expected: Jt808Frame[] = parts.map((bytes) => ({ kind: 'message', bytes }));
const feed = (chunks: Buffer[]) => feedChunks<Jt808Frame, Jt808FrameSplitter>(new Jt808FrameSplitter(), chunks);

test('extra flags between frames are skipped, not taken for empty frames', () => {
  const flags = Buffer.from([0x7e, 0x7e]);
  const { frames } = feed([Buffer.concat([flags, parts[0], flags, parts[1]])]);
  assert.deepEqual(frames, expected.slice(0, 2));
});

test('bytes outside a frame are skipped to the next 0x7e (or "(") and the splitter goes on; an unclosed frame past the limit is skipped', () => {
  const splitter = new Jt808FrameSplitter();
  const http = Buffer.from('GET / HTTP/1.1\r\n\r\n');
  const [frame, skipped, ...rest] = splitter.push(Buffer.concat([parts[3], http, session]));
  assert.equal(frame.kind, 'message');
  assert.deepEqual(skipped, {
    kind: 'skipped',
    detail: '18 bytes before the next frame skipped (starting 0x47, not the 0x7e flag)',
    bytes: http,
  });
  assert.deepEqual(rest, expected, 'the frames after the junk are all served');
  const small = new Jt808FrameSplitter(100);
  assert.deepEqual(small.push(Buffer.concat([Buffer.from([0x7e]), Buffer.alloc(99, 1)])), []);
  assert.deepEqual(
    small.push(Buffer.from([1, 1])).map((f) => f.kind === 'skipped' && f.detail),
    ['no closing 0x7e flag within 100 bytes'],
  );
  assert.deepEqual(
    small.push(parts[3]).map((f) => f.kind),
    ['message'],
    'and the next frame is served',
  );
});

test('escaping round-trips 0x7e and 0x7d (JT/T 808 §4.4.1) and the check code is the XOR of the bytes', () => {
  const data = Buffer.from('307e087d557e7d7d02', 'hex');
  assert.equal(jt808Escape(data).toString('hex'), '307d02087d01557d027d017d0102');
  assert.deepEqual(jt808Unescape(jt808Escape(data)), data);
  assert.equal(jt808Checksum(Buffer.from([0x01, 0x02, 0x04, 0xff])), 0xf8);
});

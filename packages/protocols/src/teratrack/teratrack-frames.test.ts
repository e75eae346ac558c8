/** The JSON object splitter: a session whole, byte by byte, in random chunks; braces in strings; garbage and oversized objects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TERATRACK_MAX_FRAME_LENGTH, TeraTrackFrameSplitter, type TeraTrackFrame } from './teratrack-frames';
import { buildTeraTrackFrame, teraTrackGoldenBytes } from './golden-frames';
import { feedByteByByte, feedChunks, seededChunkings } from '../test-chunking';

const braces = buildTeraTrackFrame({ CardNo: 'a}b{"c\\"}', Index: '21' }); // braces and an escaped quote inside a string
const parts = [teraTrackGoldenBytes('sealed'), teraTrackGoldenBytes('tampered'), braces, teraTrackGoldenBytes('sealed')];
const session = Buffer.concat([parts[0], Buffer.from('\r\n'), parts[1], parts[2], Buffer.from(' \n'), parts[3]]);
const expected: TeraTrackFrame[] = parts.map((bytes) => ({ kind: 'json', text: bytes.toString('utf8'), bytes }));
const feed = (chunks: Buffer[]) => feedChunks<TeraTrackFrame, TeraTrackFrameSplitter>(new TeraTrackFrameSplitter(), chunks);

test('a whole session in one chunk gives each object, whitespace between them skipped', () => {
  const { frames, splitter } = feed([session]);
  assert.deepEqual(frames, expected);
  assert.equal(JSON.parse((frames[2] as { text: string }).text).CardNo, 'a}b{"c\\"}');
  assert.equal(splitter.buffered, 0);
});

test('fed one byte at a time, each object comes out when its closing brace arrives', () => {
  const { frames, ends } = feedByteByByte(new TeraTrackFrameSplitter(), session);
  assert.deepEqual(frames, expected);
  const at = (i: number) => session.indexOf(parts[i], i === 3 ? session.length - parts[3].length : 0) + parts[i].length;
  assert.deepEqual(ends, [at(0), at(1), at(2), at(3)]);
});

test('fed in random chunks (300 seeded splits), the splitter always gives the same objects and keeps the remainder', () => {
  for (const [run, chunks] of seededChunkings(session, 5239, 300, 90).entries()) {
    assert.deepEqual(feed(chunks).frames, expected, `run ${run}`);
  }
  const { frames, splitter } = feed([session.subarray(0, parts[0].length + 2 + 40)]);
  assert.equal(frames.length, 1);
  assert.equal(splitter.buffered, 40);
});

test('objects are copies of the chunk', () => {
  const chunk = Buffer.from(teraTrackGoldenBytes('sealed'));
  const [f] = new TeraTrackFrameSplitter().push(chunk);
  chunk.fill(0x20);
  assert.deepEqual(f, expected[0]);
});

test('bytes outside an object are garbage, reported with all their bytes, and the splitter stops', () => {
  const s = new TeraTrackFrameSplitter();
  const http = Buffer.from('GET / HTTP/1.1\r\n\r\n');
  const [f, g, ...rest] = s.push(Buffer.concat([teraTrackGoldenBytes('sealed'), http]));
  assert.equal(f.kind, 'json');
  assert.deepEqual(g, { kind: 'garbage', detail: 'byte 0x47 outside a JSON object', bytes: http });
  assert.deepEqual(rest, []);
  assert.deepEqual(s.push(session), []);
  assert.equal(s.buffered, 0);
});

test('an object longer than the limit is garbage without buffering more', () => {
  const s = new TeraTrackFrameSplitter(2000);
  assert.deepEqual(s.push(Buffer.from('{"a":"' + 'x'.repeat(1990))), []);
  const [g] = s.push(Buffer.from('y'.repeat(20)));
  assert.equal(g.kind, 'garbage');
  assert.equal((g as { detail: string }).detail, 'JSON object longer than 2000 bytes');
  assert.equal(s.buffered, 0);
  assert.equal(TERATRACK_MAX_FRAME_LENGTH, 16384);
});

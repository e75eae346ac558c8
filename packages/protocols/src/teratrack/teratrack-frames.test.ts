/** The JSON object splitter beyond the protocol contract (teratrack-protocol.test.ts): garbage and oversized objects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TERATRACK_MAX_FRAME_LENGTH, TeraTrackFrameSplitter, type TeraTrackFrame } from './teratrack-frames';
import { buildTeraTrackFrame, teraTrackGoldenBytes } from './golden-frames';

const braces = buildTeraTrackFrame({ CardNo: 'a}b{"c\\"}', Index: '21' }); // braces and an escaped quote inside a string
const parts = [teraTrackGoldenBytes('sealed'), teraTrackGoldenBytes('tampered'), braces, teraTrackGoldenBytes('sealed')];
const session = Buffer.concat([parts[0], Buffer.from('\r\n'), parts[1], parts[2], Buffer.from(' \n'), parts[3]]);

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

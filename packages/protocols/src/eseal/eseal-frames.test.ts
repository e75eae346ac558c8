/** The line splitter: a session whole, byte by byte, in random chunks; bare LF, empty lines, garbage and overlong lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESEAL_MAX_LINE_LENGTH, EsealFrameSplitter, type EsealFrame } from './eseal-frames';
import { buildEsealReport, esealGoldenBytes } from './golden-frames';
import { feedByteByByte, feedChunks, seededChunkings } from '../test-chunking';

const lock = Buffer.concat([buildEsealReport({ type: 'Event-Lock', index: 36 }), Buffer.from('\n')]); // a bare LF ends a line too
const parts = [esealGoldenBytes('startup'), esealGoldenBytes('startupOk'), esealGoldenBytes('normal'), lock, esealGoldenBytes('commandAck')];
const session = Buffer.concat(parts);
const expected: EsealFrame[] = parts.map((p) => {
  const bytes = Buffer.from(p.toString('latin1').replace(/\r?\n$/, ''), 'latin1');
  return { kind: 'line', text: bytes.toString('latin1'), bytes };
});
const feed = (chunks: Buffer[]) => feedChunks<EsealFrame, EsealFrameSplitter>(new EsealFrameSplitter(), chunks);

test('a whole session in one chunk gives each line without its line end, in order', () => {
  const { frames, splitter } = feed([session]);
  assert.deepEqual(frames, expected);
  assert.equal(frames[2].kind === 'line' && frames[2].text, '##S,eSeal,1000821,256,3.0.6,Normal,34,2017-08-31,08:14:40,15,A,25.708828N 100.372870W,10,0,Close,0.71,0:0:3:0,3.8,-73,E##');
  assert.equal(splitter.buffered, 0);
});

test('fed one byte at a time, each line comes out when its LF arrives', () => {
  const { frames, ends } = feedByteByByte(new EsealFrameSplitter(), session);
  assert.deepEqual(frames, expected);
  assert.deepEqual(ends, parts.map((_, i) => parts.slice(0, i + 1).reduce((n, p) => n + p.length, 0)));
});

test('fed in random chunks (300 seeded splits), the splitter always gives the same lines and keeps the remainder', () => {
  for (const [run, chunks] of seededChunkings(session, 5169, 300, 60).entries()) {
    assert.deepEqual(feed(chunks).frames, expected, `run ${run}`);
  }
  const { frames, splitter } = feed([session.subarray(0, parts[0].length + 17)]);
  assert.equal(frames.length, 1);
  assert.equal(splitter.buffered, 17);
});

test('empty lines are skipped; lines are copies of the chunk', () => {
  const chunk = Buffer.concat([Buffer.from('\r\n\r\n\n'), esealGoldenBytes('normal')]);
  const frames = new EsealFrameSplitter().push(chunk);
  chunk.fill(0x41);
  assert.deepEqual(frames, [expected[2]]);
});

test('a line not starting with "##" is garbage at once, reported with all its bytes, and the splitter stops', () => {
  const s = new EsealFrameSplitter();
  const http = Buffer.from('GET / HTTP/1.1\r\n\r\n');
  const [line, g, ...rest] = s.push(Buffer.concat([esealGoldenBytes('normal'), http]));
  assert.equal(line.kind, 'line');
  assert.deepEqual(g, { kind: 'garbage', detail: 'line starts with 0x4745, not "##"', bytes: http });
  assert.deepEqual(rest, []);
  assert.deepEqual(s.push(session), []);
  assert.equal(s.buffered, 0);
  assert.deepEqual(new EsealFrameSplitter().push(Buffer.from('#')), [], 'one "#" may still be the start of a frame');
});

test('a line longer than the limit without a line end is garbage without buffering more', () => {
  const s = new EsealFrameSplitter();
  assert.deepEqual(s.push(Buffer.from('##' + 'x'.repeat(ESEAL_MAX_LINE_LENGTH - 2))), []);
  const [g] = s.push(Buffer.from('yy'));
  assert.equal(g.kind, 'garbage');
  assert.equal((g as { detail: string }).detail, `line longer than ${ESEAL_MAX_LINE_LENGTH} bytes without a line end`);
  assert.equal(s.buffered, 0);
});
